// Opens the upload bench page in headless Chromium and prints SDK vs plain XHR throughput.
import { chromium } from 'playwright-core';

const [origin, sdkappid] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
// Two passes: loopback as it is (bound by CPU: hashing in the page, the server's writes and
// checks), then a 200 Mbit/s uplink emulated by Chromium (bound by the link, as for users).
const passes = [
  ['loopback, unthrottled', null, ''],
  ['emulated 200 Mbit/s uplink', 200e6 / 8, 'rounds=2'],
];
try {
  for (const [name, uploadThroughput, query] of passes) {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || process.env.BENCH_VERBOSE) console.error('page:', m.text()); });
    if (uploadThroughput) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 2, downloadThroughput: -1, uploadThroughput });
    }
    await page.goto(`${origin}/upload.html?sdkappid=${sdkappid}&${query}&${process.env.BENCH_QUERY || ''}`);
    await page.waitForFunction(() => window.benchResult, null, { timeout: 300_000, polling: 250 });
    const r = await page.evaluate(() => window.benchResult);
    if (r.error) throw new Error(r.error);
    const f = (x) => x.toFixed(1);
    console.log(`upload of a ${r.mb} MB file, ${name}, best of ${r.rounds} (MB/s)   SDK file message ${f(r.sdk)}   plain XHR POST ${f(r.xhr)}   ratio ${(r.sdk / r.xhr).toFixed(2)}x`);
    console.log(`  rounds (ms): SDK ${r.sdkMs.map((m) => m.toFixed(0)).join(' ')}   XHR ${r.xhrMs.map((m) => m.toFixed(0)).join(' ')}`);
    await page.close();
  }
} finally {
  await browser.close();
}
