// Measures message latency and throughput between two SDK instances through the server, beside
// the same traffic on plain browser WebSockets speaking the wire protocol directly (baseline).
import TIM from '/pkg/tim.js';

const params = new URLSearchParams(location.search);
const SDKAppID = Number(params.get('sdkappid'));
const ROUNDS = Number(params.get('rounds') || 300);
const BURST = Number(params.get('burst') || 1000);
const run = Date.now().toString(36);
let pass = 0; // fresh users for every pass, so passes do not see each other's history
const wsURL = `ws://${location.host}/ws`;

async function userSig(userID) {
  const r = await fetch(`/debug/usersig?userID=${encodeURIComponent(userID)}`);
  return (await r.json()).userSig;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summarize(latencies, burstMs) {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), perSecond: BURST / (burstMs / 1000) };
}

// Latency: one message at a time, send → peer's receipt. Throughput: BURST sends at once,
// until every send is acknowledged (committed) and the peer has received every message.
// `send` returns a Promise of the acknowledgement.
async function measure(send, nextReceipt) {
  const latencies = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const got = nextReceipt(1);
    const acked = send(`lat ${i}`);
    await got;
    latencies.push(performance.now() - t0);
    await acked;
  }
  const t0 = performance.now();
  const all = nextReceipt(BURST);
  const acks = [];
  for (let i = 0; i < BURST; i++) acks.push(send(`burst ${i}`));
  await Promise.all([all, Promise.all(acks)]);
  return summarize(latencies, performance.now() - t0);
}

// A receipt counter: nextReceipt(n) resolves once n more messages have arrived.
function receiptCounter() {
  let count = 0, waiter = null;
  const arrived = (n) => {
    count += n;
    if (waiter && count >= waiter.target) { const w = waiter; waiter = null; w.resolve(); }
  };
  const next = (n) => new Promise((resolve) => {
    waiter = { target: count + n, resolve };
    if (count >= waiter.target) { waiter = null; resolve(); }
  });
  return { arrived, next };
}

async function benchSdk() {
  pass += 1;
  const a = `sdkA${run}${pass}`, b = `sdkB${run}${pass}`;
  const timA = TIM.create({ SDKAppID, instanceName: 'bench-a' });
  const timB = TIM.create({ SDKAppID, instanceName: 'bench-b' });
  await timA.login({ userID: a, userSig: await userSig(a) });
  await timB.login({ userID: b, userSig: await userSig(b) });
  const counter = receiptCounter();
  timB.on(TIM.EVENT.MESSAGE_RECEIVED, (event) => counter.arrived(event.data.length));
  const send = (text) => {
    const message = timA.createTextMessage({ to: b, conversationType: TIM.TYPES.CONV_C2C, payload: { text } });
    return timA.sendMessage(message);
  };
  const result = await measure(send, counter.next);
  await timA.destroy();
  await timB.destroy();
  return result;
}

function rawSocket(userID, sig, onPush, onAck = () => {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsURL);
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, req: { op: 'login', user_id: userID, user_sig: sig } }));
    ws.onerror = reject;
    ws.onmessage = (e) => {
      const frame = JSON.parse(e.data);
      if (frame.op === 'ok' && frame.id === 1) resolve(ws);
      else if (frame.op === 'error' && frame.id === 1) reject(new Error(frame.message));
      else if (frame.op === 'push') onPush(frame);
      else onAck(frame);
    };
  });
}

async function benchRaw() {
  pass += 1;
  const a = `rawA${run}${pass}`, b = `rawB${run}${pass}`;
  const counter = receiptCounter();
  const acks = new Map();
  const onAck = (frame) => {
    const settle = acks.get(frame.id);
    acks.delete(frame.id);
    if (settle) frame.op === 'ok' ? settle.resolve() : settle.reject(new Error(frame.message));
  };
  const wsA = await rawSocket(a, await userSig(a), () => {}, onAck);
  const wsB = await rawSocket(b, await userSig(b), () => counter.arrived(1));
  let id = 1;
  const send = (text) => {
    id += 1;
    const message = {
      id: `${a}-${id}`, conv_type: 'C2C', to: b, random: id, client_time: Math.floor(Date.now() / 1000),
      priority: 'Normal', content: { type: 'TIMTextElem', payload: { text } }, cloud_custom_data: '', at_user_list: [],
    };
    const acked = new Promise((resolve, reject) => acks.set(id, { resolve, reject }));
    wsA.send(JSON.stringify({ id, req: { op: 'send', message } }));
    return acked;
  };
  const result = await measure(send, counter.next);
  wsA.close();
  wsB.close();
  return result;
}

try {
  // Baseline first and SDK second, then again in the other order, so warm-up favours neither.
  const raw1 = await benchRaw();
  const sdk1 = await benchSdk();
  const sdk2 = await benchSdk();
  const raw2 = await benchRaw();
  const best = (x, y) => ({ p50: Math.min(x.p50, y.p50), p99: Math.min(x.p99, y.p99), perSecond: Math.max(x.perSecond, y.perSecond) });
  window.benchResult = { rounds: ROUNDS, burst: BURST, sdk: best(sdk1, sdk2), raw: best(raw1, raw2) };
} catch (e) {
  window.benchResult = { error: String(e && (e.message || e.code) ? `${e.code ?? ''} ${e.message ?? e}` : e) };
}
document.getElementById('out').textContent = JSON.stringify(window.benchResult, null, 2);
