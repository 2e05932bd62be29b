// Upload throughput of a file message through the SDK (chunked, hashed, resumable, then sent)
// beside a plain XHR POST of the same bytes to /debug/sink on the same server, alternating so
// both see the same machine state. Each figure is the best of `rounds`.
import TIM from '/pkg/tim.js';

const params = new URLSearchParams(location.search);
const SDKAppID = Number(params.get('sdkappid'));
const MB = Number(params.get('mb') || 50);
const ROUNDS = Number(params.get('rounds') || 3);
const run = Date.now().toString(36);

async function userSig(userID) {
  const r = await fetch(`/debug/usersig?userID=${encodeURIComponent(userID)}`);
  return (await r.json()).userSig;
}

function makeFile(size) {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) crypto.getRandomValues(b.subarray(i, Math.min(size, i + 4096)));
  return new File([b], 'bench.bin', { type: 'application/octet-stream' });
}

function plainXhr(file) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/debug/sink');
    x.onloadend = () => (x.status == 200 ? resolve(JSON.parse(x.responseText).size) : reject(new Error('sink HTTP ' + x.status)));
    x.send(file);
  });
}

async function main() {
  const tim = TIM.create({ SDKAppID, serverURL: `ws://${location.host}`, instanceName: 'bench' });
  tim.setLogLevel(3);
  const me = `up_${run}`, peer = `peer_${run}`;
  await tim.login({ userID: me, userSig: await userSig(me) });
  const file = makeFile(MB * 1024 * 1024);
  const sdk = [], xhr = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now();
    const size = await plainXhr(file);
    if (size != file.size) throw new Error(`sink stored ${size} of ${file.size} bytes`);
    xhr.push(performance.now() - t0);
    // A fresh slice per round: the same bytes, a new upload (the server stores blobs by hash,
    // so only the session and chunk path is measured, as for any new file).
    const message = tim.createFileMessage({ to: peer, conversationType: 'C2C', payload: { file: file.slice(0, file.size, file.type) } });
    t0 = performance.now();
    await tim.sendMessage(message);
    sdk.push(performance.now() - t0);
  }
  const best = (a) => Math.min(...a);
  const rate = (ms) => (MB / (ms / 1000));
  window.benchResult = { mb: MB, rounds: ROUNDS, sdkMs: sdk, xhrMs: xhr, sdk: rate(best(sdk)), xhr: rate(best(xhr)) };
  document.getElementById('out').textContent = JSON.stringify(window.benchResult, null, 1);
}

main().catch((e) => { window.benchResult = { error: String(e && (e.message || JSON.stringify(e))) }; });
