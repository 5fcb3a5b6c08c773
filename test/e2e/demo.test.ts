// End to end: the demo page in headless Chromium trains the light model on
// 2,000 MNIST images for one epoch on WebGPU (in its Web Worker), reaches at
// least 85% on 1,000 test images, reads a 7 drawn with the mouse as a 7,
// renders its chart, filter and feature-map views, downloads the model as
// TF.js files, saves it to IndexedDB and loads it back after a reload. Any
// console or page error fails.
// WEBCNN_E2E_BACKEND=cpu runs the same on the CPU backend (?backend=cpu).
// Self-contained: it serves the repository with Vite and launches its own browser.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { closeBrowser, launchBrowser, NO_ADAPTER_HELP, serve, type Served } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const backend = process.env.WEBCNN_E2E_BACKEND === 'cpu' ? 'cpu' : 'webgpu';
let served: Served<unknown> | undefined;
let browser: Browser | undefined;
let page: Page;
let demoUrl: string;
const errors: string[] = [];

beforeAll(async () => {
  served = await serve({
    root,
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), // serves /mnist-data
    vite: { optimizeDeps: { noDiscovery: true, include: [] } },
  });
  demoUrl = `${served.url}demo/?train=2000&test=1000${backend === 'cpu' ? '&backend=cpu' : ''}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(demoUrl);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
}, 180_000);

afterAll(async () => {
  if (browser) await closeBrowser(browser);
  await served?.close();
});

const text = (selector: string): Promise<string> => page.$eval(selector, (e) => e.textContent ?? '');

/** Whether a canvas has any pixel different from its first one. */
function nonBlank(id: string): Promise<boolean> {
  return page.$eval(`#${id}`, (el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
    return false;
  });
}

/**
 * Draws a "7" with mouse events and waits for the page's prediction of the
 * whole drawing (the page also classifies while the stroke is drawn: the first
 * answer can be for part of it).
 */
async function drawSeven(): Promise<number> {
  await page.evaluate(() => { delete document.body.dataset.prediction; });
  await page.$eval('#pad', (e) => e.scrollIntoView());
  const box = (await (await page.$('#pad'))!.boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  for (let t = 0; t <= 1; t += 0.1) await page.mouse.move(...at(0.25 + 0.5 * t, 0.2));
  for (let t = 0; t <= 1; t += 0.1) await page.mouse.move(...at(0.75 - 0.3 * t, 0.2 + 0.65 * t));
  await page.mouse.up();
  await page.waitForFunction(() => {
    const d = document.body.dataset;
    return d.prediction !== undefined && d.inked !== undefined && d.predictionFor === d.inked;
  }, { timeout: 60_000 });
  return Number(await page.$eval('body', (b) => b.dataset.prediction));
}

it(`trains in its worker on ${backend}, tests, classifies a drawing and shows the network inside`, async () => {
  const shown = await text('#backend');
  if (backend === 'webgpu') expect(shown, `${shown}: ${await text('#notice')} ${NO_ADAPTER_HELP}`).toMatch(/^webgpu on /);
  // 2,000 images make 32 batches of 64: too few steps; batch 16 gives ~115, as a person would choose for a small set.
  await page.$eval('#batch', (e) => { (e as HTMLInputElement).value = '16'; });
  await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.004'; });
  await page.click('#train');
  await page.waitForSelector('body[data-test-accuracy]', { timeout: 420_000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}; status: ${await text('#status')}; errors: ${errors.join('; ')}`);
  });
  const accuracy = Number(await page.$eval('body', (b) => b.dataset.testAccuracy));
  console.log(`e2e (${backend}): test accuracy ${(100 * accuracy).toFixed(2)}% on 1,000 images; ${await text('#status')}`);
  expect(accuracy).toBeGreaterThanOrEqual(0.85);
  expect(await page.$$eval('#gallery figure', (f) => f.length)).toBeGreaterThan(0);

  const predicted = await drawSeven();
  expect(predicted, `the drawn 7 read as ${predicted}`).toBe(7);
  expect(await text('#prediction')).toMatch(/^It reads a 7/);
  for (const id of ['lossChart', 'accChart', 'epochLossChart', 'epochAccChart', 'confusion', 'filters', 'maps', 'bars', 'seen']) {
    expect(await nonBlank(id), `canvas #${id} is blank`).toBe(true);
  }
  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: `test-artifacts/demo-${backend}.png`, fullPage: true });

  // Download: the TF.js files (model.json naming its weights file, and the weights: 5,994 floats).
  const downloads = mkdtempSync(join(tmpdir(), 'webcnn-e2e-downloads-'));
  try {
    const cdp = await browser!.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#download');
    const json = join(downloads, 'webcnn-mnist.json');
    const bin = join(downloads, 'webcnn-mnist.weights.bin');
    // The worker builds the files, the page clicks two links, Chromium writes them: poll up to 10 s.
    for (let i = 0; i < 100 && !(existsSync(json) && existsSync(bin) && statSync(bin).size === 5994 * 4); i++) await new Promise((r) => setTimeout(r, 100));
    const modelJson = JSON.parse(readFileSync(json, 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['webcnn-mnist.weights.bin']);
    expect(statSync(bin).size).toBe(5994 * 4);
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }

  // Save to IndexedDB, reload the page, load it back: the same drawing gets the same answer.
  await page.click('#save');
  await page.waitForFunction(() => /^Saved/.test(document.getElementById('storeStatus')?.textContent ?? ''), { timeout: 60_000 });
  await page.goto(demoUrl);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  await page.click('#load');
  await page.waitForFunction(() => /^Loaded/.test(document.getElementById('storeStatus')?.textContent ?? ''), { timeout: 60_000 });
  expect(await drawSeven(), 'the drawn 7 after save, reload and load').toBe(7);
  expect(await nonBlank('filters'), 'filters after loading').toBe(true);

  expect(errors).toEqual([]);
}, 600_000);

it('the augment switch shows a live grid of distorted training digits, and hides it when off', async () => {
  expect(await page.$eval('#augmentView', (e) => (e as HTMLElement).hidden)).toBe(true);
  await page.click('#augment');
  expect(await page.$eval('#augmentView', (e) => (e as HTMLElement).hidden)).toBe(false);
  const frame = async (atLeast: number): Promise<string> => {
    await page.waitForFunction((n) => Number(document.body.dataset.augmentedFrames ?? 0) >= n, { timeout: 60_000 }, atLeast);
    return page.$eval('#augmented', (c) => (c as HTMLCanvasElement).toDataURL());
  };
  const first = await frame(1);
  expect(await nonBlank('augmented'), 'the augmented grid is blank').toBe(true);
  const shown = Number(await page.$eval('body', (b) => b.dataset.augmentedFrames));
  const second = await frame(shown + 1);
  expect(second, 'the grid shows new distortions each time').not.toBe(first);
  await page.click('#augment');
  expect(await page.$eval('#augmentView', (e) => (e as HTMLElement).hidden)).toBe(true);
  expect(errors).toEqual([]);
}, 120_000);
