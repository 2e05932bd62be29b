// The classic-script entry: `<script src="tim-js.js">` defines `window.TIM` at once, so the next
// line (or a UMD library loaded after it) can use it; the wasm is fetched from beside the script.
import { TIM, init } from './facade.js';

const script = typeof document !== 'undefined' && document.currentScript;
const base = script && script.src ? script.src : (typeof location !== 'undefined' ? location.href : undefined);
if (base && typeof fetch === 'function') init(new URL('tim_sdk_bg.wasm', base));
TIM.init = init;
globalThis.TIM = TIM;
