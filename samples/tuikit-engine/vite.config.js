import { defineConfig } from 'vite';

export default defineConfig({
  // The engine imports Tencent's SDK as '@tencentcloud/chat': give it tim-wasm instead.
  resolve: { alias: { '@tencentcloud/chat': 'tim-wasm' } },
  // A test app: readable stack traces when the engine trips over the SDK.
  build: { minify: false },
});
