// wc.serialization, as TF.js's: registering a user's layer class so model files name it.
export { registerClass } from './layers/registry.js';
