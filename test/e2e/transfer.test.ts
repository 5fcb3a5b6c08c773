// End to end: the transfer-learning page (demo/transfer.html) in headless
// Chromium. The test makes a MobileNet V2 (alpha 0.35, 64×64) with random
// weights whose embeddings still tell images apart (transferFixtures.ts),
// serves it as TF.js files, and points the page at it with ?base=. Three
// classes (one added, all renamed) get six synthetic PNGs each; the head
// trains in the page's worker and labels twelve held-out PNGs (>= 90% right).
// Every view renders; the webcam button fails gracefully without a camera
// (and, in a second browser with Chromium's fake camera, adds frames and
// labels the picture live);
// the head is downloaded, saved to IndexedDB and loaded after a reload (whose
// base is picked as files: model.json and its shard), then replaced by the
// downloaded files, picked. Any console or page error fails.
// WEBCNN_E2E_BACKEND=cpu runs the same on the CPU backend (?backend=cpu).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import type { Plugin } from 'vite';
import { closeBrowser, launchBrowser, NO_ADAPTER_HELP, serve, type Served } from '../../src/testing/index.js';
import { CLASS_NAMES, pngOf, randomMobileNet, syntheticImage } from './transferFixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const backend = process.env.WEBCNN_E2E_BACKEND === 'cpu' ? 'cpu' : 'webgpu';
const SIZE = 64;        // the base's input
const IMAGE = 80;       // the PNGs (the page resizes them)
const TRAIN_PER_CLASS = 6;
const TEST_PER_CLASS = 4;
const work = mkdtempSync(join(tmpdir(), 'webcnn-e2e-transfer-'));
const baseDir = join(work, 'base');
const images = join(work, 'images');
const downloads = join(work, 'downloads');
let served: Served<unknown> | undefined;
let browser: Browser | undefined;
let page: Page;
let pageUrl: string;
const errors: string[] = [];
const t0 = Date.now();
const phase = (what: string): void => console.log(`e2e transfer: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);

/** Serves the test's base model at /transfer-base/<file>. */
function baseFolder(): Plugin {
  return {
    name: 'webcnn-e2e-transfer-base',
    configureServer(server) {
      server.middlewares.use('/transfer-base', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        const file = /^[\w.-]+$/.test(name) ? join(baseDir, name) : '';
        if (!file || !existsSync(file)) return next();
        res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
  };
}

const pngPath = (cls: number, seed: number): string => join(images, `${cls}-${seed}.png`);

beforeAll(async () => {
  const base = await randomMobileNet(SIZE);
  await base.save(baseDir);
  phase('base made and saved');
  mkdirSync(images);
  mkdirSync(downloads);
  for (let c = 0; c < 3; c++) {
    for (let s = 0; s < TRAIN_PER_CLASS; s++) writeFileSync(pngPath(c, s), pngOf(syntheticImage(c, s, IMAGE)));
    for (let s = 1000; s < 1000 + TEST_PER_CLASS; s++) writeFileSync(pngPath(c, s), pngOf(syntheticImage(c, s, IMAGE)));
  }
  served = await serve({ root, configFile: false, vite: { plugins: [baseFolder()], optimizeDeps: { noDiscovery: true, include: [] } } });
  pageUrl = `${served.url}demo/transfer.html?base=${encodeURIComponent('/transfer-base/model.json')}${backend === 'cpu' ? '&backend=cpu' : ''}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  await page.setViewport({ width: 1200, height: 900 });
  await openPage();
  phase('page open, base loaded');
}, 180_000);

afterAll(async () => {
  if (browser) await closeBrowser(browser);
  await served?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens the page; it loads the base from ?base=, or, with `baseFiles`, from those files picked in the page. */
async function openPage(baseFiles?: string[]): Promise<void> {
  if (!baseFiles) await page.goto(pageUrl);
  else {
    await page.goto(pageUrl.replace(/base=[^&]*/, 'base='));
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    await ((await page.$('#baseFiles')) as ElementHandle<HTMLInputElement>).uploadFile(...baseFiles);
  }
  await page.waitForSelector('body[data-base-dim]', { timeout: 120_000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}; base: ${await text('#baseStatus')}; errors: ${errors.join('; ')}`);
  });
}

const text = (selector: string): Promise<string> => page.$eval(selector, (e) => e.textContent ?? '');
const dataset = (key: string): Promise<string | undefined> => page.$eval('body', (b, k) => b.dataset[k], key);
const waitData = (key: string, value: string, timeout = 120_000): Promise<unknown> =>
  page.waitForFunction((k, v) => document.body.dataset[k] === v, { timeout }, key, value);

function nonBlank(selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
    return false;
  });
}

/** Labels the held-out images through the page's file input; returns the fraction labelled right. */
async function heldOutAccuracy(): Promise<number> {
  const before = Number((await dataset('predicted')) ?? 0);
  await page.$eval('#predictions', (e) => e.replaceChildren());
  const files = [0, 1, 2].flatMap((c) => Array.from({ length: TEST_PER_CLASS }, (_, s) => pngPath(c, 1000 + s)));
  await ((await page.$('#predictFiles')) as ElementHandle<HTMLInputElement>).uploadFile(...files);
  await waitData('predicted', String(before + files.length));
  const labels = await page.$$eval('#predictions figure', (figs) => figs.map((f) => [(f as HTMLElement).dataset.file ?? '', (f as HTMLElement).dataset.label ?? '']));
  expect(labels).toHaveLength(files.length);
  return labels.filter(([file, label]) => file.startsWith(`${label}-`)).length / labels.length;
}

it(`learns three classes on a frozen MobileNet on ${backend}, labels held-out images, keeps the head`, async () => {
  const shown = await text('#backend');
  if (backend === 'webgpu') expect(shown, `${shown}: ${await text('#notice')} ${NO_ADAPTER_HELP}`).toMatch(/^webgpu on /);
  expect(await dataset('baseDim')).toBe('1280');
  expect(await text('#baseStatus')).toMatch(/cut after 'out_relu': 64×64 images to 1280 values/);

  // three classes: the page starts with two, one is added; all renamed
  await page.click('#addClass');
  const nameInputs = await page.$$('.class .name');
  expect(nameInputs).toHaveLength(3);
  for (const [k, input] of nameInputs.entries()) {
    await input.click({ count: 3 });
    await input.type(CLASS_NAMES[k]);
  }
  const fileInputs = (await page.$$('.class .classFiles')) as ElementHandle<HTMLInputElement>[];
  for (let c = 0; c < 3; c++) await fileInputs[c].uploadFile(...Array.from({ length: TRAIN_PER_CLASS }, (_, s) => pngPath(c, s)));
  await waitData('embedded', String(3 * TRAIN_PER_CLASS));
  phase('examples embedded');
  expect(await page.$$eval('.thumbs canvas', (c) => c.length)).toBe(3 * TRAIN_PER_CLASS);

  await page.$eval('#epochs', (e) => { (e as HTMLInputElement).value = '30'; });
  const started = Date.now();
  await page.click('#train');
  await page.waitForSelector('body[data-trained]', { timeout: 300_000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}; status: ${await text('#trainStatus')}; errors: ${errors.join('; ')}`);
  });
  const trainSeconds = (Date.now() - started) / 1000;
  phase('head trained');
  const accuracy = await heldOutAccuracy();
  phase('held-out images labelled');
  console.log(`e2e transfer (${backend}): held-out accuracy ${(100 * accuracy).toFixed(0)}% of ${3 * TEST_PER_CLASS}; head trained in ${trainSeconds.toFixed(1)} s (its first epoch: ${await dataset('firstEpochSeconds')} s); ${await text('#trainStatus')}`);
  expect(accuracy).toBeGreaterThanOrEqual(0.9);
  expect(await text('#prediction')).toMatch(new RegExp(`^It is: (${CLASS_NAMES.join('|')}) \\(\\d+%\\)$`));
  for (const selector of ['#lossChart', '#bars', '#embedding', '.thumbs canvas', '#predictions canvas']) {
    expect(await nonBlank(selector), `${selector} is blank`).toBe(true);
  }

  // no camera in headless Chromium: the button says so instead of failing
  await page.click('#webcamStart');
  await page.waitForFunction(() => /^(No webcam|This page cannot use|Webcam on)/.test(document.getElementById('webcamStatus')?.textContent ?? ''), { timeout: 30_000 });
  phase(`webcam: ${await text('#webcamStatus')}`);

  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: `test-artifacts/transfer-${backend}.png`, fullPage: true });

  // download: the head's TF.js files and the class names
  {
    const cdp = await browser!.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#download');
    const names = ['webcnn-transfer-head.json', 'webcnn-transfer-head.weights.bin', 'webcnn-transfer-head.labels.json'].map((n) => join(downloads, n));
    const weights = (1280 * 64 + 64 + 64 * 3 + 3) * 4;
    for (let i = 0; i < 100 && !(names.every((n) => existsSync(n)) && statSync(names[1]).size === weights); i++) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(readFileSync(names[0], 'utf8')).format).toBe('layers-model');
    expect(statSync(names[1]).size).toBe(weights);
    expect(JSON.parse(readFileSync(names[2], 'utf8'))).toEqual([...CLASS_NAMES]);

    // save to IndexedDB, reload (the classes are gone) with the base picked as files, load: names and predictions come back
    await page.click('#save');
    await page.waitForFunction(() => /^Saved/.test(document.getElementById('storeStatus')?.textContent ?? ''), { timeout: 60_000 });
    await openPage(readdirSync(baseDir).map((f) => join(baseDir, f)));
    expect(await text('#baseStatus')).toMatch(/^Loaded (model\.json, group1-shard1of1\.bin|group1-shard1of1\.bin, model\.json): .* cut after 'out_relu'/);
    phase('saved, page reloaded');
    await page.click('#load');
    await waitData('headClasses', '3', 60_000);
    expect(await page.$$eval('.class .name', (e) => e.map((i) => (i as HTMLInputElement).value))).toEqual([...CLASS_NAMES]);
    expect(await heldOutAccuracy(), 'held-out accuracy after save, reload and load').toBeGreaterThanOrEqual(0.9);

    // the downloaded files replace it (the names in the files win)
    await page.$$eval('.class .name', (e) => e.forEach((i) => { (i as HTMLInputElement).value = ''; }));
    await page.evaluate(() => { delete document.body.dataset.headClasses; });
    await ((await page.$('#headFiles')) as ElementHandle<HTMLInputElement>).uploadFile(...names);
    await waitData('headClasses', '3', 60_000);
    expect(await page.$$eval('.class .name', (e) => e.map((i) => (i as HTMLInputElement).value))).toEqual([...CLASS_NAMES]);
    expect(await heldOutAccuracy(), 'held-out accuracy after loading the downloaded files').toBeGreaterThanOrEqual(0.9);
  }
  expect(errors).toEqual([]);
}, 540_000);

it('with a camera (Chromium\'s fake one), adds webcam frames to a class and labels the picture live', async () => {
  const names = readdirSync(downloads).map((n) => join(downloads, n));
  expect(names, 'the first test downloads the head').toHaveLength(3);
  const camera = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  const camErrors: string[] = [];
  try {
    const p = await camera.newPage();
    p.on('pageerror', (e) => camErrors.push(`page error: ${e}`));
    p.on('console', (m) => { if (m.type() === 'error') camErrors.push(`console error: ${m.text()}`); });
    await p.goto(pageUrl);
    await p.waitForSelector('body[data-base-dim]', { timeout: 120_000 });
    await p.click('#webcamStart');
    await p.waitForFunction(() => /^Webcam on/.test(document.getElementById('webcamStatus')?.textContent ?? ''), { timeout: 30_000 });
    await p.click('.class .classWebcam');
    await p.click('.class .classWebcam');
    await p.waitForFunction(() => document.body.dataset.embedded === '2', { timeout: 60_000 });
    expect(await p.$$eval('.thumbs canvas', (c) => c.length)).toBe(2);
    await ((await p.$('#headFiles')) as ElementHandle<HTMLInputElement>).uploadFile(...names);
    await p.waitForFunction(() => /^The webcam shows: /.test(document.getElementById('prediction')?.textContent ?? ''), { timeout: 60_000 });
    console.log(`e2e transfer (${backend}): ${await p.$eval('#prediction', (e) => e.textContent)}`);
  } finally {
    await closeBrowser(camera);
  }
  expect(camErrors).toEqual([]);
}, 180_000);
