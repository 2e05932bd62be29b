// A static site: index.html with the server's address in its meta tag (TIM_SERVER_URL, as a
// deployment would template it) next to the SDK's files copied from node_modules/tim-wasm.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkgDir = 'node_modules/tim-wasm';
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
cpSync(pkgDir, 'dist', { recursive: true, filter: (src) => !/(\.d\.ts|\.md|package\.json)$/.test(src) });
const serverURL = process.env.TIM_SERVER_URL || 'ws://127.0.0.1:8080';
writeFileSync('dist/index.html', readFileSync('index.html', 'utf8').replace('%TIM_SERVER_URL%', serverURL));
