// The package in Node (SSR): importing never throws, TIM.create works, and login without a
// usable server or WebSocket rejects with {code, message} instead of hanging or throwing.
// Run: node --test tests/package/node.test.mjs (after scripts/build-pkg.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkg = new URL('../../pkg/tim.js', import.meta.url);
const { default: TIM, init } = await import(pkg);

test('import gives the TIM class with its tables (tim-js-sdk 2.27 and @tencentcloud/chat 3.x keys)', () => {
  assert.equal(typeof TIM.create, 'function');
  assert.ok(Object.isFrozen(TIM.EVENT) && Object.isFrozen(TIM.TYPES), 'frozen');
  assert.equal(TIM.EVENT, TIM.EVENT);
  assert.match(TIM.VERSION, /^\d+\.\d+\.\d+/);
  const events = {
    SDK_READY: 'sdkStateReady', MESSAGE_RECEIVED: 'onMessageReceived', NET_STATE_CHANGE: 'netStateChange',
    GROUP_SYSTEM_NOTICE_RECEIVED: 'receiveGroupSystemNotice', USER_STATUS_UPDATED: 'onUserStatusUpdated',
    MESSAGE_REACTIONS_UPDATED: 'onMessageReactionsUpdated', ROOM_CUSTOM_DATA_RECEIVED: 'onRoomCustomDataReceived',
    ALL_RECEIVE_MESSAGE_OPT_UPDATED: 'onAllReceiveMessageOptUpdated', PINNED_GROUP_MESSAGE_UPDATED: 'onPinnedGroupMessageUpdated',
    SERVER_CONFIG_UPDATED: 'onServerConfigUpdated',
  };
  for (const [key, value] of Object.entries(events)) assert.equal(TIM.EVENT[key], value, 'TIM.EVENT.' + key);
  const types = {
    MSG_TEXT: 'TIMTextElem', CONV_C2C: 'C2C', CONV_SYSTEM: '@TIM#SYSTEM', CONV_AT_ALL: 2, GRP_ROOM: 'Room',
    NOT_RECEIVE_MSG_EXCEPT_AT: 'NotReceiveMsgExceptAt', IOS_OFFLINE_PUSH_NO_SOUND: 'push.no_sound',
  };
  for (const [key, value] of Object.entries(types)) assert.equal(TIM.TYPES[key], value, 'TIM.TYPES.' + key);
});

test('create is synchronous and invalid SDKAppID throws {code, message}', () => {
  assert.throws(() => TIM.create({}), (e) => e.code === 2001 && typeof e.message === 'string');
  const tim = TIM.create({ SDKAppID: 1400000123, instanceName: 'node-a' });
  assert.equal(tim, TIM.create({ SDKAppID: 1400000123, instanceName: 'node-a' }));
  assert.equal(typeof tim.login, 'function');
  tim.registerPlugin({ 'tim-upload-plugin': {} });
});

test('an instance destroyed before the wasm arrives settles its waiting calls', async () => {
  // A second copy of the module (its own loader state), used before its wasm can have compiled.
  const { default: Fresh } = await import(pkg + '?fresh');
  const tim = Fresh.create({ SDKAppID: 1400000123, instanceName: 'node-early', serverURL: 'ws://127.0.0.1:9' });
  assert.equal(tim._inner, null, 'the wasm must not be there yet for this test');
  const waiting = tim.getConversationList();
  assert.deepEqual(await tim.destroy(), { code: 0, data: {} });
  await assert.rejects(waiting, (e) => e.code === 2905);
  assert.notEqual(Fresh.create({ SDKAppID: 1400000123, instanceName: 'node-early' }), tim, 'a fresh instance after destroy');
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
