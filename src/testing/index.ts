// webcnn/testing: test a web app's models under headless Chrome with WebGPU,
// from Node (vitest, jest, node:test, a script). Node-only; needs the optional
// peer dependencies puppeteer and vite. See docs/API.md ("Testing").

export { findBrowser, launchBrowser, connectBrowser, closeBrowser, BrowserNotFoundError, HOW_TO_INSTALL, NO_ADAPTER_HELP } from './browser.js';
export type { LaunchOptions } from './browser.js';
export { serve, serveBuild } from './server.js';
export type { ServeOptions, Served } from './server.js';
export { openPage, runInPage, probeWebGpu } from './page.js';
export type { Json, OpenPageOptions, OpenedPage, AdapterSummary } from './page.js';
export { openWebGpuPage } from './session.js';
export type { WebGpuPageOptions, WebGpuPage } from './session.js';
