// A headless TUIKit app: Tencent's chat-uikit-engine on tim-wasm (aliased in vite.config.js).
// ?user=alice&peer=bob&server=ws://127.0.0.1:8080&sdkappid=1400000000
import TUIChatEngine, { TUIChatService, TUIConversationService, TUIStore, StoreName } from '@tencentcloud/chat-uikit-engine';

const q = new URLSearchParams(location.search);
const [userID, peer, serverURL] = [q.get('user'), q.get('peer'), q.get('server')];
const SDKAppID = Number(q.get('sdkappid'));
const conversationID = `C2C${peer}`;
const log = (line) => { document.getElementById('log').textContent += line + '\n'; };

// What the test runner reads: state 'ready' once the conversation is open, the received texts,
// send(), history(); `step` names what was under way when something failed.
const sample = (window.sample = { state: 'starting', step: 'starting', received: [], error: null });
const seen = new Set();

TUIStore.watch(StoreName.CHAT, {
  messageList: (list) => {
    for (const message of list || []) {
      if (message.flow !== 'in' || seen.has(message.ID)) continue;
      seen.add(message.ID);
      sample.received.push({ from: message.from, text: message.payload?.text });
      log(`${message.from}: ${message.payload?.text}`);
    }
  },
});

sample.send = async (text) => {
  sample.step = 'TUIChatService.sendTextMessage';
  const { data } = await TUIChatService.sendTextMessage({ to: peer, conversationType: TUIChatEngine.TYPES.CONV_C2C, payload: { text } });
  log(`me: ${text}`);
  return data?.message?.ID;
};

// Resolves with the first value of the chat store's KEY that satisfies OK.
const storeValue = (key, ok) => new Promise((resolve) => {
  const watcher = { [key]: (value) => { if (ok(value)) { setTimeout(() => TUIStore.unwatch(StoreName.CHAT, watcher)); resolve(value); } } };
  TUIStore.watch(StoreName.CHAT, watcher);
});

// The conversation's history as a reader sees it: re-open the conversation (the engine loads its
// newest page), then page back with TUIChatService.getMessageList until it is complete.
sample.history = async () => {
  sample.step = 're-opening the conversation';
  await TUIConversationService.switchConversation('');
  const firstPage = storeValue('messageList', (list) => list?.length > 0);
  await TUIConversationService.switchConversation(conversationID);
  await firstPage;
  for (let page = 0; page < 20 && !TUIStore.getData(StoreName.CHAT, 'isCompleted'); page++) {
    sample.step = `TUIChatService.getMessageList (page ${page + 2})`;
    await TUIChatService.getMessageList();
  }
  return TUIStore.getData(StoreName.CHAT, 'messageList').map((message) => message.payload?.text);
};

async function start() {
  sample.step = 'fetch UserSig';
  const response = await fetch(`${serverURL.replace(/^ws/, 'http')}/debug/usersig?userID=${encodeURIComponent(userID)}`);
  const { userSig } = await response.json();
  sample.step = 'TUIChatEngine.login';
  // Extra fields of login() go to TIM.create: serverURL is tim-wasm's.
  await TUIChatEngine.login({ SDKAppID, userID, userSig, useUploadPlugin: true, serverURL });
  log(`logged in as ${userID}`);
  sample.step = 'TUIConversationService.switchConversation';
  await TUIConversationService.switchConversation(conversationID);
  log(`opened ${conversationID}`);
  sample.step = 'ready';
  sample.state = 'ready';
}

start().catch((error) => {
  sample.state = 'error';
  sample.error = `${sample.step} failed: ${error?.code ? `${error.code} ` : ''}${error?.message ?? error}${error?.stack ? `\n${error.stack}` : ''}`;
  log(sample.error);
});
