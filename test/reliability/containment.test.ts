// Every path a model.json names stays in the model's folder, and a save goes
// to the folder asked for. A secret file outside the folder has exactly the
// size the manifest asks for, so a path that reached it would load (with its
// values) instead of failing: each case must fail, naming loadModel and the
// path. Save targets: file:// URLs as Node reads them (plus TF.js's relative
// file://./), no '..' or encoded separator, http(s) as TF.js's http handler
// POSTs, and bad targets named.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { expectCleanError } from './state.js';

type ModelJson = { weightsManifest: { paths: string[]; weights: unknown[] }[] } & Record<string, unknown>;

function cnn(): wc.LayersModel {
  const m = wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      wc.layers.flatten(),
      wc.layers.dense({ units: 3 }),
    ],
  });
  m.setWeights(m.getWeights().map((w, i) => wc.tensor(randomValues(w.size, 10 + i), w.shape)));
  return m;
}

const x = () => wc.tensor(randomValues(50, 5), [2, 5, 5, 1]);
const predict = async (m: wc.LayersModel) => [...await (m.predict(x()) as wc.Tensor).data()];

describe('loadModel: weight paths stay inside the model folder', () => {
  let root: string;
  let dir: string;
  let json: ModelJson;
  let model: wc.LayersModel;

  beforeAll(async () => {
    await wc.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'webcnn-contain-'));
    dir = join(root, 'model');
    model = cnn();
    await model.save(dir);
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
    // the right size for the manifest, and values the model does not have
    writeFileSync(join(root, 'secret.bin'), new Uint8Array(new Float32Array(model.countParams()).fill(7).buffer));
    symlinkSync(join(root, 'secret.bin'), join(dir, 'link.bin'));
    symlinkSync(root, join(dir, 'up'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Writes model.json naming `paths` (the weights split over them as the first group lists them) and loads the folder. */
  const loadWith = (...paths: string[]) => {
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ paths, weights: json.weightsManifest[0].weights }] }));
    return wc.loadModel(dir);
  };
  const refused = (p: string, why: RegExp) => expectCleanError(() => loadWith(p), /^loadModel: weightsManifest\[0\]\.paths\[0\] /, why);

  it('paths that leave the folder, spelled, encoded, absolute or as URLs', async () => {
    const rule = /; weight paths must be relative paths to files inside the model's folder$/;
    await refused('../secret.bin', /^loadModel: weightsManifest\[0\]\.paths\[0\] "\.\.\/secret\.bin" has a '\.\.' segment; weight paths must be relative paths to files inside the model's folder$/);
    await refused('..%2Fsecret.bin', /"\.\.%2Fsecret\.bin" has a '\.\.' segment/);
    await refused('%2e%2e/secret.bin', /has a '\.\.' segment/);
    await refused('sub/../../secret.bin', /has a '\.\.' segment/);
    await refused('..\\secret.bin', /has a '\.\.' segment/);
    await refused(join(root, 'secret.bin'), /" is absolute; weight paths must/);
    await refused('%2Fetc%2Fpasswd', /is absolute/);
    await refused(`file://${join(root, 'secret.bin')}`, /" is a URL; weight paths must/);
    await refused('', /"" is empty/);
    await refused('.', /names the folder, not a file/);
    await refused('a\0.bin', /contains a NUL character/);
    for (const p of ['../secret.bin', '/etc/passwd', '']) await refused(p, rule);
  });

  it('paths inside the folder that lead out through a symbolic link', async () => {
    await refused('link.bin', /^loadModel: weightsManifest\[0\]\.paths\[0\] "link\.bin" leads outside the model's folder .*\/model \(through a symbolic link\); weight files must be inside it$/);
    await refused('up/secret.bin', /"up\/secret\.bin" leads outside the model's folder/);
  });

  it('paths inside the folder load, the ordinary ones and those in a subfolder', async () => {
    const want = await predict(model);
    expect(await predict(await loadWith('./group1-shard1of1.bin'))).toEqual(want);
    mkdirSync(join(dir, 'weights'), { recursive: true });
    const bytes = readFileSync(join(dir, 'group1-shard1of1.bin'));
    writeFileSync(join(dir, 'weights', 'a.bin'), bytes.subarray(0, 40));
    writeFileSync(join(dir, 'weights', 'b.bin'), bytes.subarray(40));
    expect(await predict(await loadWith('weights/a.bin', 'weights/b.bin'))).toEqual(want);
  });
});

describe('save targets: the folder asked for, http(s) as TF.js sends it, bad targets named', () => {
  let root: string;
  const cwd = process.cwd();

  beforeAll(async () => {
    await wc.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'webcnn-target-'));
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(root, { recursive: true, force: true });
  });

  it("file:// URLs: Node's reading, TF.js's relative file://./ form, and no '..' or encoded separator", async () => {
    const m = cnn();
    const want = await predict(m);
    process.chdir(root);
    try {
      await m.save('file://./rel/model');
      // ./rel/model under the working directory, not /rel/model
      expect(readdirSync(join(root, 'rel', 'model')).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
      expect(existsSync('/rel')).toBe(false);
      expect(await predict(await wc.loadModel('file://./rel/model/model.json'))).toEqual(want);
    } finally {
      process.chdir(cwd);
    }
    await m.save(`file://${root}/with%20space`);
    expect(existsSync(join(root, 'with space', 'model.json'))).toBe(true);
    const inner = join(root, 'a', 'b');
    const cases: [string, RegExp][] = [
      [`file://${inner}/..%2F..%2Fescape`, /has an encoded path separator; a file URL must name its folder exactly$/],
      [`file://${inner}/%2e%2e/%2e%2e/escape`, /has a '\.\.' segment; a file URL must name its folder exactly$/],
      [`file://${inner}/../../escape`, /has a '\.\.' segment/],
      [`file://${inner}/x%5C..%5C..%5Cescape`, /has an encoded path separator/],
      ['file://./../escape', /has a '\.\.' segment/],
      ['file://server/share/model', /^Sequential\.save: "file:\/\/server\/share\/model" is not a file URL Node can use \(.*host.*\); write file:\/\/\/absolute\/path or file:\/\/\.\/relative\/path$/],
    ];
    for (const [target, why] of cases) await expectCleanError(() => m.save(target), /^Sequential\.save: /, why);
    expect(readdirSync(root).sort()).toEqual(['rel', 'with space']);
  });

  it('targets that are not a place to save: named, and nothing created', async () => {
    const m = cnn();
    const file = join(root, 'file.txt');
    writeFileSync(file, 'keep');
    const expected = "a folder path or file:// URL \\(Node\\), indexeddb://name or downloads://name \\(browser\\), an http\\(s\\):// URL to POST to, or an IO handler with save\\(\\)";
    await expectCleanError(() => m.save(null as never), new RegExp(`^Sequential\\.save: expected ${expected}; got null$`));
    await expectCleanError(() => m.save(undefined as never), /^Sequential\.save: expected .*; got a undefined$/);
    await expectCleanError(() => m.save(42 as never), /^Sequential\.save: expected .*; got a number$/);
    await expectCleanError(() => m.save({ path: 'x' } as never), /^Sequential\.save: the IO handler has no save\(\) \(an object with keys path\); expected /);
    await expectCleanError(() => m.save(''), new RegExp(`^Sequential\\.save: the save target is an empty string; expected ${expected}$`));
    await expectCleanError(() => m.save(file), /^Sequential\.save: .*\/file\.txt exists and is not a folder; save writes model\.json and its weight files into a folder \(a new or an existing one\)$/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
    process.chdir(root);
    try {
      await expectCleanError(() => m.save('s3://bucket/model'), /^Sequential\.save: unknown URL scheme 's3:\/\/' in "s3:\/\/bucket\/model"; expected /);
      await expectCleanError(() => m.save('indexeddb://x'), /^Sequential\.save: indexeddb:\/\/ needs a browser with IndexedDB$/);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(root).filter((f) => f !== 'rel' && f !== 'with space')).toEqual(['file.txt']);
    await expectCleanError(() => wc.loadModel(''), /^loadModel: the source is an empty string; expected a path or URL to model\.json$/);
  });

  describe('http(s)', () => {
    let server: Server;
    let base: string;
    const files = new Map<string, Buffer>();
    const uploads: { method: string; type: string; form: FormData }[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          if (req.method === 'POST') {
            const type = req.headers['content-type'] ?? '';
            const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
            uploads.push({ method: req.method, type, form });
            if (req.url === '/refuse') { res.statusCode = 507; res.end(); return; }
            // store what came, so the model can be fetched back from the upload's folder
            const dirOf = req.url!.replace(/[^/]*$/, '');
            for (const [, v] of form) if (v instanceof Blob) files.set(`${dirOf}${(v as File).name}`, Buffer.from(await v.arrayBuffer()));
            res.end('{}');
            return;
          }
          const body = files.get(req.url!);
          res.statusCode = body ? 200 : 404;
          res.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const addr = server.address() as { port: number };
      base = `http://127.0.0.1:${addr.port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('a save POSTs model.json and model.weights.bin as multipart/form-data, and the upload loads back', async () => {
      const m = cnn();
      const result = await m.save(`${base}/models/upload`) as { url: string; responses: Response[] };
      expect(result.url).toBe(`${base}/models/upload`);
      expect(result.responses[0].status).toBe(200);
      const up = uploads.at(-1)!;
      expect(up.type).toMatch(/^multipart\/form-data; boundary=/);
      expect([...up.form.keys()]).toEqual(['model_json', 'model_weights_bin']);
      const json = up.form.get('model_json') as File;
      const weights = up.form.get('model_weights_bin') as File;
      expect([json.name, json.type, weights.name, weights.type]).toEqual(['model.json', 'application/json', 'model.weights.bin', 'application/octet-stream']);
      const parsed = JSON.parse(await json.text()) as ModelJson;
      expect(parsed.format).toBe('layers-model');
      expect(parsed.weightsManifest.map((g) => g.paths)).toEqual([['./model.weights.bin']]);
      expect(weights.size).toBe(4 * m.countParams());
      expect(await predict(await wc.loadModel(`${base}/models/model.json`))).toEqual(await predict(m));
      await expectCleanError(() => m.save(`${base}/refuse`), /^Sequential\.save: http:\/\/127\.0\.0\.1:\d+\/refuse answered HTTP 507 to the upload; the model was not saved$/);
    });

    it('a load fetches weight files only from model.json\'s folder on its origin', async () => {
      const m = cnn();
      await m.save(`${base}/good/upload`);
      files.set('/secret.bin', Buffer.from(new Float32Array(m.countParams()).fill(7).buffer));
      const good = JSON.parse(files.get('/good/model.json')!.toString()) as ModelJson;
      const serve = (paths: string[]) => {
        files.set('/bad/model.json', Buffer.from(JSON.stringify({ ...good, weightsManifest: [{ paths, weights: good.weightsManifest[0].weights }] })));
        return wc.loadModel(`${base}/bad/model.json`);
      };
      await expectCleanError(() => serve(['../secret.bin']), /^loadModel: weightsManifest\[0\]\.paths\[0\] "\.\.\/secret\.bin" has a '\.\.' segment/);
      await expectCleanError(() => serve(['%2e%2e/secret.bin']), /has a '\.\.' segment/);
      await expectCleanError(() => serve(['/secret.bin']), /"\/secret\.bin" is absolute/);
      await expectCleanError(() => serve([`${base}/secret.bin`]), /is a URL/);
      await expectCleanError(() => serve(['//127.0.0.1/secret.bin']), /is absolute/);
      // the same file, fetched from the model's own folder, loads
      files.set('/bad/w.bin', files.get('/secret.bin')!);
      const loaded = await serve(['./w.bin']);
      expect([...await loaded.getWeights()[0].data()].every((v) => v === 7)).toBe(true);
      await expectCleanError(() => serve(['missing.bin']), /^loadModel: could not fetch weights \/bad\/missing\.bin: HTTP 404$/);
    });
  });
});
