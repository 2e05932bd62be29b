// Runs each sample in headless Chromium against a live tim-server: two pages (alice and bob)
// log in, alice sends, bob receives, bob replies, alice receives, bob's history holds both.
//
//   node run.mjs --server ws://127.0.0.1:PORT --sdkappid N [--failed NAME=REASON]... NAME=URL...
//
// Each page exposes `window.sample = {state: 'starting'|'ready'|'error', error, step?, received:
// [{from, text}], send(text), history()}`. Prints `sample NAME: ok (...)` or `sample NAME: FAILED
// (...)` with the pages' console errors, then `N passed, M failed`; exits 1 when any failed.
// SAMPLE_TIMEOUT (seconds, default 120) bounds each sample; SAMPLES_VERBOSE=1 prints the pages'
// console errors and warnings of passing samples too.
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
let server, sdkappid;
const samples = [];
const results = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--server') server = args[++i];
  else if (arg === '--sdkappid') sdkappid = args[++i];
  else if (arg === '--failed') { const [name, ...why] = args[++i].split('='); results.push({ name, ok: false, detail: why.join('=') }); }
  else { const [name, ...url] = arg.split('='); samples.push({ name, url: url.join('=') }); }
}
if (!server || !sdkappid) { console.error('usage: run.mjs --server ws://HOST:PORT --sdkappid N NAME=URL...'); process.exit(2); }
const timeoutMs = Number(process.env.SAMPLE_TIMEOUT || 120) * 1000;

for (const r of results) console.log(`sample ${r.name}: FAILED (${r.detail})`);

class Failure extends Error {}

// One page of a sample: its console errors, failed requests and uncaught errors, kept for the report.
function watchPage(page, who, notes) {
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') notes.push(`${who} console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => notes.push(`${who} uncaught: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => notes.push(`${who} request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    const type = r.headers()['content-type'] || '';
    if (r.status() >= 400) notes.push(`${who} HTTP ${r.status()}: ${r.url()}`);
    else if (/\.wasm([?#]|$)/.test(r.url()) && !type.startsWith('application/wasm')) notes.push(`${who} ${r.url()} answered ${r.status()} with content-type ${type || 'none'}, not application/wasm`);
  });
  page.on('crash', () => notes.push(`${who} page crashed`));
}

const pageState = (page) => page.evaluate(() => {
  const s = window.sample;
  return s ? { state: s.state, error: s.error, step: s.step, received: s.received } : { state: 'no window.sample (page script did not run)' };
});

async function runSample(browser, { name, url }, progress, notes, deadline) {
  const remaining = () => Math.max(1, deadline - Date.now());
  const context = await browser.newContext();
  // An unhandled rejection of a plain object reaches 'pageerror' as just "Object": say what it was.
  await context.addInitScript(() => addEventListener('unhandledrejection', (e) => {
    const r = e.reason;
    if (!(r instanceof Error)) console.error(`unhandled rejection: ${(() => { try { return JSON.stringify(r); } catch { return String(r); } })()}`);
  }));
  progress.context = context;
  const users = { alice: `alice-${name}`, bob: `bob-${name}` };
  const pages = {};
  for (const [who, me] of Object.entries(users)) {
    const peer = who === 'alice' ? users.bob : users.alice;
    pages[who] = await context.newPage();
    watchPage(pages[who], who, notes);
    const query = new URLSearchParams({ user: me, peer, server, sdkappid });
    pages[who].target = `${url}${url.includes('?') ? '&' : '?'}${query}`;
  }
  progress.pages = pages;

  progress.step = 'loading the pages';
  const t0 = Date.now();
  await Promise.all(Object.values(pages).map((p) => p.goto(p.target, { timeout: remaining() })));
  progress.step = 'waiting for both pages to log in';
  for (const [who, page] of Object.entries(pages)) {
    await page.waitForFunction(() => window.sample && window.sample.state !== 'starting', null, { timeout: remaining(), polling: 50 });
    const s = await pageState(page);
    if (s.state !== 'ready') throw new Failure(`${who}: ${(s.error || s.state).split('\n')[0]}`);
  }
  const ready = Date.now() - t0;

  const nonce = Math.random().toString(36).slice(2, 8);
  const exchange = async (from, to, text) => {
    progress.step = `${from} sending to ${to}`;
    const t = Date.now();
    const sent = await pages[from].evaluate(async (text) => {
      try { return { id: await window.sample.send(text) }; } catch (e) {
        return { error: `${window.sample.step ? `${window.sample.step}: ` : ''}${e?.code ? `${e.code} ` : ''}${e?.message ?? e}${e?.stack ? `\n${e.stack}` : ''}` };
      }
    }, text);
    if (sent.error) throw new Failure(`${from}'s send failed: ${sent.error}`);
    progress.step = `waiting for ${to} to receive ${from}'s message`;
    await pages[to].waitForFunction((text) => window.sample.received.some((m) => m.text === text), text, { timeout: remaining(), polling: 'raf' });
    return Date.now() - t;
  };
  const there = await exchange('alice', 'bob', `hello from alice ${nonce}`);
  const back = await exchange('bob', 'alice', `hello from bob ${nonce}`);

  progress.step = "reading bob's history";
  const history = await pages.bob.evaluate(async () => {
    try { return { texts: await window.sample.history() }; } catch (e) {
      return { error: `${window.sample.step ? `${window.sample.step}: ` : ''}${e?.code ? `${e.code} ` : ''}${e?.message ?? e}` };
    }
  });
  if (history.error) throw new Failure(`bob's history failed: ${history.error}`);
  for (const text of [`hello from alice ${nonce}`, `hello from bob ${nonce}`]) {
    if (!history.texts.includes(text)) throw new Failure(`bob's history lacks "${text}": ${JSON.stringify(history.texts)}`);
  }
  await context.close();
  return `logged in ${ready} ms, alice→bob ${there} ms, bob→alice ${back} ms, history ${history.texts.length} messages`;
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
} catch (e) {
  for (const s of samples) results.push({ name: s.name, ok: false, detail: `Chromium did not start: ${e.message}` });
  for (const s of samples) console.log(`sample ${s.name}: FAILED (Chromium did not start)`);
}

for (const sample of browser ? samples : []) {
  const progress = { step: 'starting' };
  const notes = [];
  const started = Date.now();
  const deadline = started + timeoutMs;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`timed out after ${timeoutMs / 1000} s while ${progress.step}`)), timeoutMs);
  });
  const run = runSample(browser, sample, progress, notes, deadline);
  run.catch(() => {}); // after a timeout its own rejection (context closed) is of no interest
  try {
    const detail = await Promise.race([run, timeout]);
    console.log(`sample ${sample.name}: ok (${detail}; ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    results.push({ name: sample.name, ok: true });
    if (process.env.SAMPLES_VERBOSE) for (const note of notes) console.log(`  ${note.replace(/\n/g, '\n    ')}`);
  } catch (e) {
    const reason = e instanceof Failure ? e.message.split('\n')[0] : `${e.message.split('\n')[0]} (while ${progress.step})`;
    console.log(`sample ${sample.name}: FAILED (${reason})`);
    const more = e instanceof Failure ? e.message.split('\n').slice(1) : [];
    for (const line of more) console.log(`    ${line}`);
    for (const [who, page] of Object.entries(progress.pages || {})) {
      const s = await Promise.race([pageState(page).catch((err) => ({ state: `unreadable: ${err.message.split('\n')[0]}` })),
        new Promise((r) => setTimeout(() => r({ state: 'unreadable (page hung)' }), 3000))]);
      console.log(`  ${who} window.sample: state=${s.state}${s.step ? ` step=${s.step}` : ''}${s.error ? ` error=${s.error}` : ''} received=${JSON.stringify(s.received || [])}`);
    }
    for (const note of notes.slice(0, 40)) console.log(`  ${note.replace(/\n/g, '\n    ')}`);
    if (notes.length > 40) console.log(`  ... ${notes.length - 40} more`);
    results.push({ name: sample.name, ok: false });
  } finally {
    clearTimeout(timer);
    await progress.context?.close().catch(() => {});
  }
}
await browser?.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
