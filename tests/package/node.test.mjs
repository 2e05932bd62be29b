// The package in Node (SSR): importing never throws, TIM.create works, and login without a
// usable server or WebSocket rejects with {code, message} instead of hanging or throwing.
// Run: node --test tests/package/node.test.mjs (after scripts/build-pkg.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkg = new URL('../../pkg/tim.js', import.meta.url);
const { default: TIM, init } = await import(pkg);

test('import gives the TIM class with its tables', () => {
  assert.equal(typeof TIM.create, 'function');
  assert.equal(TIM.EVENT.SDK_READY, 'sdkStateReady');
  assert.equal(TIM.TYPES.CONV_C2C, 'C2C');
  assert.ok(Object.isFrozen(TIM.EVENT));
});

test('create is synchronous and invalid SDKAppID throws {code, message}', () => {
  assert.throws(() => TIM.create({}), (e) => e.code === 2001 && typeof e.message === 'string');
  const tim = TIM.create({ SDKAppID: 1400000123, instanceName: 'node-a' });
  assert.equal(tim, TIM.create({ SDKAppID: 1400000123, instanceName: 'node-a' }));
  assert.equal(typeof tim.login, 'function');
  tim.registerPlugin({ 'tim-upload-plugin': {} });
});

test('the wasm loads from the package folder', async () => {
  await init();
  const tim = TIM.create({ SDKAppID: 1400000123, instanceName: 'node-b', serverURL: 'ws://127.0.0.1:9' });
  assert.equal(tim.isReady?.() ?? false, false);
});

test('login without serverURL rejects with {code, message}', async () => {
  const tim = TIM.create({ SDKAppID: 1400000123, instanceName: 'node-c' });
  await assert.rejects(tim.login({ userID: 'alice', userSig: 'x' }),
    (e) => typeof e.code === 'number' && /serverURL/.test(e.message));
});

test('login to a closed port rejects with {code, message} naming it', async () => {
  const tim = TIM.create({ SDKAppID: 1400000123, instanceName: 'node-d', serverURL: 'ws://127.0.0.1:9' });
  await assert.rejects(tim.login({ userID: 'alice', userSig: 'x' }),
    (e) => typeof e.code === 'number' && typeof e.message === 'string');
  await tim.destroy();
});
