// indexeddb:// saves in the browser are one transaction: a save resolves only
// once its transaction commits, and a transaction that aborts after the write
// request succeeded (as a quota failure at commit does) rejects the save,
// naming it, and leaves the previous model loading and predicting as before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

describe('indexeddb:// saves', () => {
  it('an aborted transaction rejects the save and keeps the previous model', async () => {
    const out = await gp.run(async ({ wc: w }) => {
      const build = (units: number) => w.sequential({ layers: [w.layers.dense({ inputShape: [3], units })] });
      const x = w.tensor([1, 2, 3], [1, 3]);
      const old = build(2);
      await old.save('indexeddb://atomic');
      const want = Array.from(await (old.predict(x) as typeof x).data());
      // abort each transaction just after its put succeeds, as a commit that fails would
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const req = put.apply(this, args);
        req.addEventListener('success', () => this.transaction.abort());
        return req;
      };
      let message = '';
      try {
        await build(4).save('indexeddb://atomic');
      } catch (err) {
        message = (err as Error).message;
      } finally {
        IDBObjectStore.prototype.put = put;
      }
      const back = await w.loadModel('indexeddb://atomic');
      const got = Array.from(await (back.predict(x) as typeof x).data());
      const empty = await build(1).save('indexeddb://').then(() => '', (err: Error) => err.message);
      const missing = await w.loadModel('indexeddb://no-such-model').then(() => '', (err: Error) => err.message);
      return { message, want, got, empty, missing };
    }, {});
    expect(out.message).toMatch(/^Sequential\.save: the IndexedDB transaction failed: .*abort/i);
    expect(out.got).toEqual(out.want);
    expect(out.empty).toBe('Sequential.save: indexeddb:// needs a model name (indexeddb://my-model)');
    expect(out.missing).toBe('loadModel: no model named "no-such-model" in IndexedDB');
  });
});
