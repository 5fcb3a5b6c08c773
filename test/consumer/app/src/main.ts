// The page's entry: exposes trainTiny for the test (run in the page through webcnn/testing).

import { trainTiny, type TinyResult } from './tiny.js';

declare global {
  interface Window {
    trainTiny: (backend: 'webgpu' | 'cpu') => Promise<TinyResult>;
    appReady: boolean;
  }
}

window.trainTiny = trainTiny;
window.appReady = true;
