// Opens the bench page in headless Chromium (Debian's) and prints the figures with ratios.
import { chromium } from 'playwright-core';

const [origin, sdkappid] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || process.env.BENCH_VERBOSE) console.error('page:', m.text()); });
  await page.goto(`${origin}/index.html?sdkappid=${sdkappid}&${process.env.BENCH_QUERY || ''}`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 300_000, polling: 250 });
  const r = await page.evaluate(() => window.benchResult);
  if (r.error) throw new Error(r.error);
  const f = (x) => x.toFixed(2);
  console.log(`message latency, ${r.rounds} sequential sends (ms)   SDK p50 ${f(r.sdk.p50)} p99 ${f(r.sdk.p99)}   raw WebSocket p50 ${f(r.raw.p50)} p99 ${f(r.raw.p99)}   ratio p50 ${f(r.sdk.p50 / r.raw.p50)}x p99 ${f(r.sdk.p99 / r.raw.p99)}x`);
  console.log(`throughput, burst of ${r.burst} (msg/s)              SDK ${r.sdk.perSecond.toFixed(0)}   raw WebSocket ${r.raw.perSecond.toFixed(0)}   ratio ${f(r.sdk.perSecond / r.raw.perSecond)}x`);
} finally {
  await browser.close();
}
