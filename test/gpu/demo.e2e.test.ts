// End to end: the demo page in headless Chromium trains the light model on
// 2,000 MNIST images for one epoch on WebGPU (in its Web Worker), reaches at
// least 85% on 1,000 test images, classifies a digit drawn with the mouse,
// and renders its filter and feature-map views. Any console or page error fails.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer';

let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('gpuBrowserEndpoint'), protocolTimeout: 300_000 });
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  const origin = new URL(inject('gpuPageUrl')).origin;
  await page.goto(`${origin}/demo/?train=2000&test=1000`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
});

afterAll(async () => {
  await page?.close();
  await browser?.disconnect();
});

/** Whether a canvas has any non-uniform pixels. */
async function nonBlank(id: string): Promise<boolean> {
  return page.$eval(`#${id}`, (el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
    return false;
  });
}

it('trains in its worker, tests, classifies a drawing and shows the network inside', async () => {
  expect(await page.$eval('#backend', (e) => e.textContent)).toMatch(/^webgpu on /);
  // 2,000 images make 32 batches of 64: too few steps; batch 16 gives 125, as a person would choose.
  await page.$eval('#batch', (e) => { (e as HTMLInputElement).value = '16'; });
  await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.004'; });
  await page.click('#train');
  await page.waitForSelector('body[data-test-accuracy]', { timeout: 240_000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}; status: ${await page.$eval('#status', (e) => e.textContent)}; errors: ${errors.join('; ')}`);
  });
  const accuracy = Number(await page.$eval('body', (b) => b.dataset.testAccuracy));
  expect(accuracy).toBeGreaterThanOrEqual(0.85);

  // Draw a "1": a vertical stroke down the middle of the pad.
  await page.$eval('#pad', (e) => e.scrollIntoView());
  const box = await (await page.$('#pad'))!.boundingBox();
  expect(box).not.toBeNull();
  const x = box!.x + box!.width / 2;
  await page.mouse.move(x, box!.y + 40);
  await page.mouse.down();
  for (let y = 40; y <= 240; y += 10) await page.mouse.move(x + (y - 40) / 40, box!.y + y);
  await page.mouse.up();
  await page.waitForSelector('body[data-prediction]', { timeout: 60_000 });
  expect(Number(await page.$eval('body', (b) => b.dataset.prediction))).toBeGreaterThanOrEqual(0);

  for (const id of ['lossChart', 'accChart', 'confusion', 'filters', 'maps', 'bars', 'seen']) {
    expect(await nonBlank(id), `canvas #${id} is blank`).toBe(true);
  }
  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/demo.png', fullPage: true });
  expect(errors).toEqual([]);
}, 300_000);
