// The built package's loaders in headless Chromium against the real server: the ES module with
// no init(), the classic script with window.TIM defined synchronously (and Tencent's tsignaling
// UMD on top of it, unmodified), the server address from a <meta> tag, and a clear rejection when
// the wasm is missing. Needs TIM_TEST_SERVER (host:port of a tim-server with --debug-endpoints)
// and a built pkg/. Run: node --test tests/package/loader.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, unique } from './support.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.TIM_TEST_SERVER;
const sdkappid = process.env.TIM_TEST_SDKAPPID;
assert.ok(server && sdkappid, 'TIM_TEST_SERVER and TIM_TEST_SDKAPPID must be set');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
// URL prefix -> folder: the pages, the package, tsignaling, and the package's script alone.
const ROUTES = [
  ['/pkg/', join(root, 'pkg')],
  ['/nowasm/tim-js.js', join(root, 'pkg/tim-js.js')],
  ['/tsignaling/', join(here, 'node_modules/tsignaling')],
  ['/', join(here, 'pages')],
];

let http, origin, browser;
before(async () => {
  http = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, dir] = ROUTES.find(([p]) => path.startsWith(p));
    const file = prefix.endsWith('/') ? join(dir, path.slice(prefix.length)) : dir;
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => http.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${http.address().port}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  http?.close();
});

async function userSig(userID) {
  const r = await fetch(`http://${server}/debug/usersig?userID=${encodeURIComponent(userID)}`);
  return (await r.json()).userSig;
}

async function open(page, user) {
  const p = await browser.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  const q = new URLSearchParams({ user, sig: await userSig(user), sdkappid, server: `ws://${server}` });
  await p.goto(`${origin}/${page}?${q}`);
  return { p, errors };
}

const steps = (p) => p.evaluate(() => window.steps);
const waitStep = (p, step, ms = 20_000) =>
  p.waitForFunction((s) => window.steps?.some((x) => x.startsWith(s)), step, { timeout: ms, polling: 50 });

test('ES module: create before the wasm, login resolves, SDK_READY after it, messages flow', { timeout: 60_000 }, async () => {
  const alice = unique('alice'), bob = unique('bob');
  const a = await open('module.html', alice);
  const b = await open('module.html', bob);
  try {
    await waitStep(a.p, 'SDK_READY');
    await waitStep(b.p, 'SDK_READY');
    const got = await steps(a.p);
    assert.equal(got[0], 'created ready=false');
    // tim-js-sdk's order: login() settles first, then SDK_READY.
    assert.deepEqual(got.slice(1, 3), ['login resolved ready=true', 'SDK_READY']);
    await a.p.evaluate(async (to) => {
      const m = window.tim.createTextMessage({ to, conversationType: window.TIMClass.TYPES.CONV_C2C, payload: { text: 'hi from a module' } });
      await window.tim.sendMessage(m);
    }, bob);
    await waitStep(b.p, 'received hi from a module');
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.p.close();
    await b.p.close();
  }
});

test('classic script: window.TIM at once, server from <meta>, tsignaling UMD on top works', { timeout: 60_000 }, async () => {
  const alice = unique('alice'), bob = unique('bob');
  const a = await open('classic.html', alice);
  const b = await open('classic.html', bob);
  try {
    await waitStep(a.p, 'login resolved');
    await waitStep(b.p, 'login resolved');
    assert.equal((await steps(a.p))[0], 'created');
    await a.p.evaluate((to) => window.signaling.invite({ userID: to, data: JSON.stringify({ call: 1 }), timeout: 30 }), bob);
    await waitStep(b.p, `invited ${alice}`);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.p.close();
    await b.p.close();
  }
});

test('a wasm that cannot be fetched rejects login with {code, message} naming its URL', { timeout: 30_000 }, async () => {
  const p = await browser.newPage();
  try {
    await p.goto(`${origin}/missing-wasm.html`);
    const r = await p.evaluate(() => window.result);
    assert.equal(r.code, 2998);
    assert.match(r.message, /\/nowasm\/tim_sdk_bg\.wasm/);
  } finally {
    await p.close();
  }
});
