// The ES module entry: `import TIM from 'tim-wasm'`. The wasm download starts when this module
// runs; `TIM.create` does not wait for it.
import { TIM, ChatSDK, init } from './facade.js';

function wasmSource() {
  // Written literally so that webpack, vite and rollup find and emit the wasm.
  const url = new URL('./tim_sdk_bg.wasm', import.meta.url);
  const here = String(import.meta.url);
  // Node (SSR, scripts): read the file beside this module; no import, so bundlers see nothing.
  // (Bundlers rewrite `url` to where they emitted the wasm, so it is http(s) in their output even
  // when they turned the bare import.meta.url into a file: URL.)
  const fs = url.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('node:fs');
  if (fs) return fs.readFileSync(url);
  if (here.includes('/node_modules/.vite/deps/')) {
    // Vite's dev server pre-bundles this module into .vite/deps/ but not the wasm beside it:
    // load it from the installed package instead (`optimizeDeps.exclude` is then unnecessary).
    return new URL('../../tim-wasm/tim_sdk_bg.wasm', here);
  }
  return url;
}

init(wasmSource());

export { TIM, ChatSDK, init };
export default TIM;
