// Runs webcnn's save in a child Node process under a real OS limit (a
// file-size limit set with bash's `ulimit -f`), so a save meets a real EFBIG.
// The child runs src/io as plain JavaScript: each module of its import graph
// is transpiled with TypeScript (types stripped, nothing bundled).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import type { ModelArtifacts } from '../../src/index.js';

const SRC = resolve(import.meta.dirname, '../../src');

/** Transpiles `entry` (a path under src/) and every module it imports, relatively, into `outDir`, mirroring src/. */
export function transpileGraph(entry: string, outDir: string): void {
  const todo = [resolve(SRC, entry)];
  const done = new Set<string>();
  while (todo.length) {
    const file = todo.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
    const out = join(outDir, file.slice(SRC.length + 1).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
    for (const [, spec] of js.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) todo.push(resolve(dirname(file), `${spec}.ts`));
  }
}

const CHILD = `
import { readFileSync } from 'node:fs';
import { writeArtifacts } from './io/handlers.js';
const [input, target] = process.argv.slice(2);
const { modelTopology, weightSpecs } = JSON.parse(readFileSync(input + '.json', 'utf8'));
const bytes = readFileSync(input + '.bin');
const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
try {
  await writeArtifacts({ modelTopology, weightSpecs, weightData }, target, 'Sequential.save');
  console.log(JSON.stringify({ saved: true }));
} catch (err) {
  console.log(JSON.stringify({ saved: false, name: err.name, message: err.message, cause: err.cause?.code ?? null }));
}
`;

export interface ChildResult { saved: boolean; name?: string; message?: string; cause?: string | null }

/** Prepares `work` (transpiled io plus the child script); returns a function that saves artifacts to a folder under a file-size limit. */
export function limitedSaver(work: string): (artifacts: ModelArtifacts, target: string, fileSizeKiB: number) => ChildResult {
  transpileGraph('io/handlers.ts', work);
  writeFileSync(join(work, 'child.mjs'), CHILD);
  let n = 0;
  return (artifacts, target, fileSizeKiB) => {
    const input = join(work, `input${n++}`);
    writeFileSync(`${input}.json`, JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs }));
    writeFileSync(`${input}.bin`, new Uint8Array(artifacts.weightData));
    // bash's ulimit -f counts 1024-byte blocks; Node ignores SIGXFSZ, so an over-long write fails with EFBIG
    const run = spawnSync('bash', ['-c', `ulimit -f ${fileSizeKiB} && exec "$0" child.mjs "$1" "$2"`, process.execPath, input, target], { cwd: work, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`the save child exited with ${run.status} (${run.signal ?? 'no signal'}): ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildResult;
  };
}
