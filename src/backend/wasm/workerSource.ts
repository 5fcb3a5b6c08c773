// The worker's program, as source text so that nothing is fetched: Node runs
// it with `eval: true`, browsers from a Blob URL. Plain ES2020 in one string,
// out of reach of any bundler's transforms. The layout constants match
// threadPool.ts (CONTROL below).
//
// A worker instantiates the kernels module on the shared memory, says
// 'ready', then loops: wait for its sequence word to change, run the calls
// in its task block ([count, (export index, arg count, args...)...]), count
// them, and add 1 to the done word (and wake the caller).

export const WORKER_BODY = `
function serve(d) {
  const ctl = new Int32Array(d.control);
  const task = new Float64Array(d.tasks, d.slot * d.capacity * 8, d.capacity);
  const at = d.slotBase;
  const instance = new WebAssembly.Instance(d.module, { env: { memory: d.memory, abort: (m, f, line, col) => {
    throw new Error('wasm backend: a kernel aborted at ' + line + ':' + col);
  } } });
  const fns = d.names.map((n) => instance.exports[n]);
  let seen = 0;
  post({ ready: true });
  for (;;) {
    Atomics.wait(ctl, at, seen);
    const seq = Atomics.load(ctl, at);
    if (seq === seen) continue;
    seen = seq;
    if (seq < 0) return;
    try {
      const count = task[0];
      let p = 1;
      for (let i = 0; i < count; i++) {
        const fn = fns[task[p]];
        const n = task[p + 1];
        const args = new Array(n);
        for (let j = 0; j < n; j++) args[j] = task[p + 2 + j];
        fn.apply(null, args);
        p += 2 + n;
      }
      Atomics.add(ctl, at + 1, count);
    } catch (e) {
      Atomics.store(ctl, at + 2, 1);
      post({ error: String(e && e.message || e) });
    }
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  }
}
`;

/**
 * Node: worker_threads' parentPort carries the set-up message. A dynamic
 * import, not require: eval'd code is a module where the process runs with
 * --input-type=module (workers inherit it), a script elsewhere.
 */
export const NODE_WORKER_SOURCE = `${WORKER_BODY}
let post;
import('node:worker_threads').then(({ parentPort }) => {
  post = (m) => parentPort.postMessage(m);
  parentPort.once('message', (d) => serve(d));
});
`;

/** Browsers: a dedicated worker's global scope. */
export const WEB_WORKER_SOURCE = `${WORKER_BODY}
const post = (m) => self.postMessage(m);
self.onmessage = (e) => { self.onmessage = null; serve(e.data); };
`;
