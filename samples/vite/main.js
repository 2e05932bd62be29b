// ?user=alice&peer=bob&server=ws://127.0.0.1:8080&sdkappid=1400000000
import TIM from 'tim-wasm';

const q = new URLSearchParams(location.search);
const [userID, peer, serverURL] = [q.get('user'), q.get('peer'), q.get('server')];
const SDKAppID = Number(q.get('sdkappid'));
const log = (line) => { document.getElementById('log').textContent += line + '\n'; };

// What the test runner reads: state 'ready' after login and SDK_READY, the received texts,
// send(), history().
const sample = (window.sample = { state: 'starting', received: [], error: null });

const tim = TIM.create({ SDKAppID, serverURL });
tim.on(TIM.EVENT.SDK_READY, () => { sample.state = 'ready'; log('SDK ready'); });
tim.on(TIM.EVENT.MESSAGE_RECEIVED, (event) => {
  for (const message of event.data) {
    sample.received.push({ from: message.from, text: message.payload.text });
    log(`${message.from}: ${message.payload.text}`);
  }
});

sample.send = async (text) => {
  const message = tim.createTextMessage({ to: peer, conversationType: TIM.TYPES.CONV_C2C, payload: { text } });
  const { data } = await tim.sendMessage(message);
  log(`me: ${text}`);
  return data.message.ID;
};

// The newest page of the conversation's history, as the texts in it.
sample.history = async () => {
  const { data } = await tim.getMessageList({ conversationID: `C2C${peer}` });
  return data.messageList.map((message) => message.payload.text);
};

async function login() {
  const response = await fetch(`${serverURL.replace(/^ws/, 'http')}/debug/usersig?userID=${encodeURIComponent(userID)}`);
  const { userSig } = await response.json();
  await tim.login({ userID, userSig });
  log(`logged in as ${userID}`);
}

login().catch((error) => {
  sample.state = 'error';
  sample.error = `login failed: ${error?.code ? `${error.code} ` : ''}${error?.message ?? error}`;
  log(sample.error);
});
