// The SDK finds its wasm with `new URL('./tim_sdk_bg.wasm', import.meta.url)`, which webpack 5
// emits as an asset by itself: no loader, no plugin.
const path = require('path');

module.exports = {
  mode: 'production',
  entry: './src/index.js',
  output: { path: path.resolve(__dirname, 'dist'), filename: 'main.js', clean: true },
};
