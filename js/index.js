// The ES module entry: `import TIM from 'tim-wasm'`. The wasm download starts when this module
// runs; `TIM.create` does not wait for it.
import { TIM, ChatSDK, init } from './facade.js';

function wasmSource() {
  // Written literally so that webpack, vite and rollup find and emit the wasm.
  const url = new URL('./tim_sdk_bg.wasm', import.meta.url);
  const here = String(import.meta.url);
  if (/^file:/.test(here)) {
    // Node (SSR, scripts): read the file beside this module; no import, so bundlers see nothing.
    const fs = globalThis.process?.getBuiltinModule?.('node:fs');
    return fs ? fs.readFileSync(url) : undefined;
  }
  if (here.includes('/node_modules/.vite/deps/')) {
    // Vite's dev server pre-bundles this module into .vite/deps/ but not the wasm beside it:
    // load it from the installed package instead (`optimizeDeps.exclude` is then unnecessary).
    return new URL('../../tim-wasm/tim_sdk_bg.wasm', here);
  }
  return url;
}

const source = typeof fetch === 'function' || typeof process === 'object' ? wasmSource() : undefined;
if (source) init(source);

export { TIM, ChatSDK, init };
export default TIM;
