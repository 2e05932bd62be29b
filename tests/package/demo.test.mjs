// The demo page (www/) in headless Chromium against the real server: alice sends bob a text, an
// image and a file from the page's <input type=file>, the uploads' progress bars reach 100%, bob's
// conversation list shows the unread badge, the image and the file link render on his side, and
// a message alice revokes shows as revoked for both. Full-page screenshots go to
// target/demo-alice.png and target/demo-bob.png.
// Needs TIM_TEST_SERVER (host:port of a tim-server serving www/ and pkg/ with --debug-endpoints).
// Run: node --test tests/package/demo.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium, unique } from './support.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const server = process.env.TIM_TEST_SERVER;
assert.ok(server, 'TIM_TEST_SERVER must be set (host:port of a tim-server with --www, --pkg, --debug-endpoints)');
const WAIT = { timeout: 20_000, polling: 50 };

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

async function openDemo(user) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`http://${server}/?user=${encodeURIComponent(user)}`);
  await page.waitForFunction((u) => document.getElementById('me').textContent === `logged in as ${u}`, user, WAIT);
  return { page, errors, context };
}

// A 900×600 PNG drawn on a canvas in the page: big enough for the SDK to make 720 and 198 px copies.
function makePng(page) {
  return page.evaluate(async () => {
    const canvas = new OffscreenCanvas(900, 600);
    const g = canvas.getContext('2d');
    const fill = g.createLinearGradient(0, 0, 900, 600);
    fill.addColorStop(0, '#1f6feb');
    fill.addColorStop(1, '#d73a49');
    g.fillStyle = fill;
    g.fillRect(0, 0, 900, 600);
    g.fillStyle = '#fff';
    g.font = 'bold 96px sans-serif';
    g.fillText('tim-wasm', 220, 330);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const reader = new FileReader();
    await new Promise((done) => { reader.onload = done; reader.readAsDataURL(blob); });
    return reader.result.slice(reader.result.indexOf(',') + 1);
  }).then((base64) => Buffer.from(base64, 'base64'));
}

// The <li> of the open conversation's message whose type is `type` (and text `text`).
const item = (type, text) => `#messages li[data-type="${type}"]${text ? `:has-text("${text}")` : ''}`;

test('demo: text, image, file with progress; unread badge; rendered on the peer; revoke', { timeout: 120_000 }, async () => {
  const aliceID = unique('alice'), bobID = unique('bob');
  const alice = await openDemo(aliceID);
  const bob = await openDemo(bobID);
  try {
    const a = alice.page, b = bob.page;
    // Alice opens a chat with bob and sends a text, an image and a file.
    await a.fill('#peer', bobID);
    await a.click('#start button');
    await a.waitForSelector('#compose:not([hidden])');
    await a.fill('#text', 'Hello Bob, here are the pictures');
    await a.press('#text', 'Enter');
    await a.waitForSelector(`${item('TIMTextElem')}.success`, WAIT);
    const png = await makePng(a);
    await a.setInputFiles('#file', { name: 'gradient.png', mimeType: 'image/png', buffer: png });
    await a.waitForSelector(`${item('TIMImageElem')}.success`, WAIT);
    // The file goes over an emulated 400 kB/s uplink, to see its progress bar part-way.
    const cdp = await alice.context.newCDPSession(a);
    await cdp.send('Network.enable');
    const uplink = (uploadThroughput) => cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });
    await uplink(400_000);
    const notes = Buffer.from('Meeting notes\n'.repeat(40_000)); // 560 KB
    await a.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: notes });
    await a.waitForFunction(() => {
      const li = document.querySelector('#messages li[data-type="TIMFileElem"]');
      return li && li.dataset.progress > 0 && li.dataset.progress < 100;
    }, null, WAIT);
    await mkdir(`${root}target`, { recursive: true });
    await a.screenshot({ path: `${root}target/demo-alice-uploading.png`, fullPage: true });
    await uplink(-1);

    // Each upload's progress bar reaches 100% and the message is sent.
    for (const type of ['TIMImageElem', 'TIMFileElem']) {
      await a.waitForSelector(`${item(type)}.success[data-progress="100"] .progress.done`, WAIT);
      assert.equal(await a.$eval(`${item(type)} progress`, (p) => p.value), 1);
      assert.equal(await a.$eval(`${item(type)} .progress span`, (s) => s.textContent), '100%');
    }
    // The sender sees the image from the server (not the local preview) and the file link.
    await a.waitForFunction(() => {
      const img = document.querySelector('#messages li[data-type="TIMImageElem"] img');
      return img && img.complete && img.naturalWidth > 0 && img.src.includes('/files/');
    }, null, WAIT);

    // Bob has not opened the conversation: his list shows 3 unread, and so does the header.
    const conv = `#conversations li[data-conversation-id="C2C${aliceID}"]`;
    await b.waitForFunction((sel) => document.querySelector(`${sel} .badge`)?.textContent === '3', conv, WAIT);
    await b.waitForFunction(() => document.getElementById('unread').textContent === '3 unread', null, WAIT);
    assert.equal(await b.$eval(conv, (li) => li.querySelector('.last').textContent), '[File]');
    await b.screenshot({ path: `${root}target/demo-bob-unread.png`, fullPage: true });

    // Bob opens it: the badge and the total go away, the image renders, the file is a link.
    await b.click(conv);
    await b.waitForSelector(`${item('TIMTextElem', 'Hello Bob')}`, WAIT);
    await b.waitForFunction((sel) => !document.querySelector(`${sel} .badge`), conv, WAIT);
    await b.waitForFunction(() => document.getElementById('unread').hidden, null, WAIT);
    const image = await b.waitForFunction(() => {
      const img = document.querySelector('#messages li[data-type="TIMImageElem"] img');
      return img && img.complete && img.naturalWidth > 0 &&
        { natural: [img.naturalWidth, img.naturalHeight], src: img.src, original: img.closest('a')?.href };
    }, null, WAIT).then((h) => h.jsonValue());
    assert.deepEqual(image.natural, [720, 480], 'the 720 px copy is shown');
    assert.match(image.src, /\/files\/[\w-]+\?tk=/);
    assert.match(image.original, /\/files\/[\w-]+\?tk=/);
    assert.notEqual(image.original, image.src, 'a click opens the original, not the shown copy');
    const fetched = (url) => fetch(url).then(async (r) => [r.status, (await r.arrayBuffer()).byteLength]);
    assert.deepEqual(await b.evaluate(fetched, image.original), [200, png.length], 'the original is the PNG sent');
    const file = await b.$eval(`${item('TIMFileElem')} a.file`, (a) => ({
      href: a.href, download: a.download, name: a.querySelector('.fname').textContent,
      size: a.querySelector('.fsize').textContent,
    }));
    assert.equal(file.name, 'notes.txt');
    assert.equal(file.download, 'notes.txt');
    assert.equal(file.size, '546.9 KB');
    const got = await b.evaluate((url) => fetch(url).then((r) => r.text()), file.href);
    assert.equal(got, notes.toString());
    // Nothing of bob's is revocable: the control is only on one's own messages.
    assert.equal(await b.$$eval('#messages .action', (x) => x.length), 0);

    // Alice revokes her text: both sides show it revoked.
    await a.click(`${item('TIMTextElem', 'Hello Bob')} .action`);
    await a.waitForSelector(`${item('TIMTextElem')}.revoked:has-text("You revoked a message")`, WAIT);
    await b.waitForSelector(`${item('TIMTextElem')}.revoked:has-text("Message revoked")`, WAIT);
    assert.equal(await b.$$eval('#messages li.revoked', (x) => x.length), 1);
    assert.equal(await a.$$eval(`${item('TIMTextElem')} .action`, (x) => x.length), 0, 'no Revoke on a revoked message');

    await a.screenshot({ path: `${root}target/demo-alice.png`, fullPage: true });
    await b.screenshot({ path: `${root}target/demo-bob.png`, fullPage: true });
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});
