// Load time of the SDK against tim-js-sdk 2.27.6, measured in the same run: navigation → TIM.create
// returned ("create") and navigation → the SDK can work ("usable": our wasm instantiated, i.e. the
// loading promise settled; tim-js-sdk is usable once created) on loopback, emulated 4G and 3G.
// Every file is served gzip -9 with no caching by a static server in this process (files read once
// at start, so a pkg/ rebuilt meanwhile does not mix builds); each measurement gets a fresh browser
// context with the cache disabled; builds and links are interleaved round robin; medians reported.
// Env: BENCH_LOAD_ROUNDS (default 7), BENCH_LOAD_TIMEOUT (s, whole run, default 120 + 60/round), CHROMIUM.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const ROUNDS = Math.max(1, Number(process.env.BENCH_LOAD_ROUNDS || 7));
const PAGE_TIMEOUT = 60_000;
setTimeout(() => { console.error('bench-load: whole run timed out'); process.exit(2); },
  Number(process.env.BENCH_LOAD_TIMEOUT || 120 + 60 * ROUNDS) * 1000).unref();

// Links: null = loopback as it is; otherwise CDP Network.emulateNetworkConditions (bytes/s, ms).
const LINKS = [
  { name: 'loopback', label: 'loopback', cond: null },
  { name: '4G', label: '4G (9 Mbit/s, 60 ms)', cond: { latency: 60, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 } },
  { name: '3G', label: '3G (1.6 Mbit/s, 150 ms)', cond: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 } },
];

// ---- files ---------------------------------------------------------------------------------
function readPkg(name) {
  const p = path.join(root, 'pkg', name);
  for (let i = 0; ; i++) { // the lead may be swapping pkg/ in (rm -rf pkg && mv): wait for it
    try { return fs.readFileSync(p); } catch (e) { if (i >= 120) throw e; }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}
const sdkJs = fs.readFileSync(path.join(here, 'node_modules/tim-js-sdk/tim-js.js'));
const sdkVersion = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/tim-js-sdk/package.json'))).version;
const classicJs = readPkg('tim-js.js');
const moduleJs = readPkg('tim.js');
const wasm = readPkg('tim_sdk_bg.wasm');

// (d) the classic build carrying the wasm inline: base64 in the script, decoded and handed to
// init as bytes (WebAssembly.instantiate, no second request). Measurement only.
function inlineBuild(src, bytes) {
  const decode = `(s=>Uint8Array.fromBase64?Uint8Array.fromBase64(s):Uint8Array.from(atob(s),c=>c.charCodeAt(0)))("${bytes.toString('base64')}")`;
  const re = /new URL\("tim_sdk_bg\.wasm",[\w$]+\)/g;
  if ((src.match(re) || []).length === 1) return src.replace(re, () => decode);
  // The loader changed shape: answer its fetch of the wasm from the inline bytes instead.
  return `(()=>{const b=${decode},f=globalThis.fetch;globalThis.fetch=(u,...a)=>/tim_sdk_bg\\.wasm$/.test(String(u))?` +
    `(globalThis.fetch=f,Promise.resolve(new Response(b,{headers:{"content-type":"application/wasm"}}))):f(u,...a)})();\n${src}`;
}
const inlineJs = Buffer.from(inlineBuild(classicJs.toString('utf8'), wasm));

// Pages: each records performance.now() (navigationStart = 0) right after TIM.create returned,
// and window.benchDone resolves {create, usable}.
const head = '<!doctype html><meta charset="utf-8"><title>load</title><link rel="icon" href="data:,">';
const OPTS = '{SDKAppID:1400000000}';
const classicPage = (src) => `${head}<script src="${src}"></script><script>
const tim=TIM.create(${OPTS});const created=performance.now();
window.benchDone=TIM.init().then(()=>({create:created,usable:performance.now()}));</script>`;
const PAGES = {
  'tim-js-sdk': `${head}<script src="/sdk/tim-js.js"></script><script>
const tim=TIM.create(${OPTS});const created=performance.now();
window.benchDone=Promise.resolve({create:created,usable:created});</script>`,
  classic: classicPage('/ours/tim-js.js'),
  module: `${head}<script type="module">import TIM,{init} from '/ours/tim.js';
const tim=TIM.create(${OPTS});const created=performance.now();
window.benchDone=init().then(()=>({create:created,usable:performance.now()}));</script>`,
  inline: classicPage('/inline/tim-js.js'),
  // Not a build: (b) with a preload hint in the page, so the wasm request leaves with the script's
  // instead of after it ran. Shows what starting the download earlier is worth (outside the goal).
  'classic+preload': classicPage('/ours/tim-js.js')
    .replace('<script', '<link rel="preload" href="/ours/tim_sdk_bg.wasm" as="fetch" crossorigin><script'),
};
const BUILDS = Object.keys(PAGES);

const JS = 'text/javascript; charset=utf-8';
const routes = new Map();
const route = (p, type, raw) => routes.set(p, { type, raw, gz: zlib.gzipSync(raw, { level: 9 }) });
route('/sdk/tim-js.js', JS, sdkJs);
route('/ours/tim-js.js', JS, classicJs);
route('/ours/tim.js', JS, moduleJs);
route('/ours/tim_sdk_bg.wasm', 'application/wasm', wasm);
route('/inline/tim-js.js', JS, inlineJs);
for (const [b, html] of Object.entries(PAGES)) route(`/${b}.html`, 'text/html; charset=utf-8', Buffer.from(html));

const server = http.createServer((req, res) => {
  const r = routes.get(new URL(req.url, 'http://x').pathname);
  if (!r) { res.writeHead(404, { 'cache-control': 'no-store', 'content-length': 0 }); res.end(); return; }
  const gz = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
  const body = gz ? r.gz : r.raw;
  res.writeHead(200, {
    'content-type': r.type, 'content-length': body.length, 'cache-control': 'no-store', vary: 'accept-encoding',
    ...(gz ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- measuring -----------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  timeout: PAGE_TIMEOUT,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

async function measure(build, link) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (link.cond) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...link.cond });
    await page.goto(`${origin}/${build}.html`, { waitUntil: 'load', timeout: PAGE_TIMEOUT });
    const r = await page.evaluate((ms) => {
      if (!window.benchDone) return { error: 'the page did not define benchDone' };
      const late = new Promise((_, no) => setTimeout(() => no(new Error('not usable after ' + ms + ' ms')), ms));
      return Promise.race([window.benchDone, late]).then((t) => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = { wasmRequests: 0 };
        for (const e of performance.getEntriesByType('resource')) {
          const key = e.name.endsWith('.wasm') ? 'wasm' : e.name.endsWith('.js') ? 'script' : null;
          if (key) res[key] = { start: e.startTime, end: e.responseEnd };
          if (key === 'wasm') res.wasmRequests++;
        }
        return { ...t, html: nav.responseEnd, ...res };
      }, (e) => ({ error: String(e && e.message || e) }));
    }, PAGE_TIMEOUT);
    if (r.wasmRequests > 1) r.error = `the wasm was requested ${r.wasmRequests} times`;
    if (r.error || errors.length) throw new Error(`${build} on ${link.name}: ${r.error || errors.join('; ')}`);
    return r;
  } finally {
    await context.close();
  }
}

const samples = {}; // link -> build -> [result]
for (const l of LINKS) samples[l.name] = Object.fromEntries(BUILDS.map((b) => [b, []]));
try {
  for (const b of BUILDS) await measure(b, LINKS[0]); // warm-up, not recorded
  for (let round = 0; round < ROUNDS; round++) {
    for (const link of LINKS) {
      for (let i = 0; i < BUILDS.length; i++) {
        const b = BUILDS[(i + round) % BUILDS.length]; // rotate who goes first
        samples[link.name][b].push(await measure(b, link));
      }
    }
    if (process.env.BENCH_VERBOSE) console.error(`round ${round + 1}/${ROUNDS} done`);
  }
} finally {
  await browser.close().catch(() => {});
  server.close();
}

// ---- report --------------------------------------------------------------------------------
const median = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const med = (link, b, f) => median(samples[link][b].map(f));
const ms = (x) => `${x.toFixed(0)} ms`;
const GOAL = 0.8;
const misses = [];

console.log(`load time vs tim-js-sdk ${sdkVersion}: navigation → TIM.create returned ("create"), navigation → SDK usable ` +
  `("usable": our wasm instantiated; tim-js-sdk = create); median of ${ROUNDS} rounds, fresh context each, gzip -9, cache off; ` +
  'classic+preload = classic with <link rel=preload> of the wasm in the page');
for (const link of LINKS) {
  const parts = ['create', 'usable'].map((fig) => {
    const base = med(link.name, 'tim-js-sdk', (r) => r[fig]);
    const rest = BUILDS.slice(1).map((b) => {
      const v = med(link.name, b, (r) => r[fig]);
      const ratio = v / base;
      if ((b === 'classic' || b === 'module') && ratio > GOAL) misses.push(`${link.name} ${fig} ${b} ${ratio.toFixed(2)}x`);
      return `${b} ${ms(v)} (${ratio.toFixed(2)}x)`;
    });
    return `${fig}: tim-js-sdk ${ms(base)}, ${rest.join(', ')}`;
  });
  console.log(`${link.label.padEnd(24)} ${parts.join('; ')}`);
}

const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const br = (buf) => zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const [sdkGz, classicGz, moduleGz, wasmGz, inlineGz] = [sdkJs, classicJs, moduleJs, wasm, inlineJs].map(gz);
console.log(`sizes, gzip -9 (brotli 11): tim-js-sdk tim-js.js ${sdkGz} B (${br(sdkJs)}); classic tim-js.js ${classicGz} B + wasm ${wasmGz} B = ` +
  `${classicGz + wasmGz} B (${br(classicJs) + br(wasm)}); module tim.js ${moduleGz} B + wasm = ${moduleGz + wasmGz} B ` +
  `(${br(moduleJs) + br(wasm)}); inline tim-js.js ${inlineGz} B (${br(inlineJs)})`);

// Waterfall: where the time goes (medians, ms from navigation; resource start → response end).
console.log('waterfall, medians in ms from navigation (request start→response end):');
for (const link of LINKS) {
  const w = BUILDS.map((b) => {
    const m = (f) => med(link.name, b, f);
    const seg = (k) => `${k} ${m((r) => r[k]?.start).toFixed(0)}→${m((r) => r[k]?.end).toFixed(0)}`;
    const bits = [`html →${m((r) => r.html).toFixed(0)}`, seg('script')];
    if (b.startsWith('classic') || b === 'module') bits.push(seg('wasm'));
    bits.push(`create ${m((r) => r.create).toFixed(0)}`);
    if (b !== 'tim-js-sdk') bits.push(`usable ${m((r) => r.usable).toFixed(0)}`);
    return `${b}: ${bits.join(', ')}`;
  });
  console.log(`waterfall ${link.name.padEnd(8)} ${w.join(' | ')}`);
}
console.log(misses.length ? `goal ≤ ${GOAL}x (classic and module): missed by ${misses.join(', ')}`
  : `goal ≤ ${GOAL}x (classic and module): met on all links, create and usable`);
process.exit(0);
