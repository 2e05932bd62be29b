// The demo chat: plain JavaScript over the SDK's tim-js-sdk-compatible API.
// Open /?user=alice and /?user=bob in two tabs. Options: &sdkappid=N (default: the server's).
import TIM from '/pkg/tim.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const userID = params.get('user') || 'alice';

let tim;
let current = null;          // { conversationID, type, to, name }
let nextReqMessageID = '';
const shown = new Map();     // message ID -> <li> in the open conversation

function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { $('notice').hidden = true; }, 4000);
}

function peerOf(conv) {
  if (conv.type === TIM.TYPES.CONV_GROUP) {
    const id = conv.groupProfile?.groupID || conv.conversationID.slice(5);
    return { to: id, name: conv.groupProfile?.name || id };
  }
  const id = conv.userProfile?.userID || conv.conversationID.slice(3);
  return { to: id, name: id };
}

function renderConversations(list) {
  const ul = $('conversations');
  ul.replaceChildren(...list.map((conv) => {
    const { to, name } = peerOf(conv);
    const li = document.createElement('li');
    li.classList.toggle('active', conv.conversationID === current?.conversationID);
    const title = document.createElement('span');
    title.className = 'name';
    title.textContent = (conv.type === TIM.TYPES.CONV_GROUP ? '# ' : '') + name;
    const last = document.createElement('span');
    last.className = 'last';
    last.textContent = conv.lastMessage ? conv.lastMessage.messageForShow : '';
    li.append(title, last);
    if (conv.unreadCount > 0) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = conv.unreadCount > 99 ? '99+' : String(conv.unreadCount);
      li.append(badge);
    }
    li.onclick = () => open({ conversationID: conv.conversationID, type: conv.type, to, name });
    return li;
  }));
}

function describe(message) {
  if (message.isRevoked) return message.flow === 'out' ? 'You revoked a message' : 'Message revoked';
  const p = message.payload || {};
  switch (message.type) {
    case TIM.TYPES.MSG_TEXT: return p.text;
    case TIM.TYPES.MSG_CUSTOM: return `[custom] ${p.description || p.data}`;
    case TIM.TYPES.MSG_FACE: return `[face ${p.index}]`;
    case TIM.TYPES.MSG_LOCATION: return `[location] ${p.description}`;
    default: return `[${message.type}]`;
  }
}

function messageItem(message) {
  const li = shown.get(message.ID) || document.createElement('li');
  li.className = `${message.flow} ${message.status}`;
  const meta = document.createElement('span');
  meta.className = 'meta';
  const when = new Date((message.time || message.clientTime) * 1000).toLocaleTimeString();
  const flags = [
    message.status === 'fail' ? 'failed' : '',
    message.isModified && !message.isRevoked ? 'edited' : '',
    message.flow === 'out' && message.isPeerRead ? 'read' : '',
  ].filter(Boolean);
  meta.textContent = [`${message.from}`, when, ...flags].join(' · ');
  li.replaceChildren(meta, document.createTextNode(describe(message)));
  li.classList.toggle('revoked', !!message.isRevoked);
  // Double-click one of your own messages to revoke it (within the server's revoke window).
  li.ondblclick = message.flow === 'out' && message.status === 'success' && !message.isRevoked
    ? () => tim.revokeMessage(message)
      .then(() => messageItem(message))
      .catch((e) => notice(`Not revoked (${e.code}): ${e.message}`))
    : null;
  if (message.flow === 'out' && !message.isRevoked) li.title = 'double-click to revoke';
  shown.set(message.ID, li);
  return li;
}

// Re-renders messages already on screen (revoked, modified, read by the peer).
function refresh(messages) {
  for (const m of messages) if (shown.has(m.ID)) messageItem(m);
}

function append(messages) {
  const ol = $('messages');
  const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  for (const m of messages) ol.append(messageItem(m));
  if (atBottom) ol.scrollTop = ol.scrollHeight;
}

async function loadPage() {
  const conversationID = current.conversationID;
  try {
    const { data } = await tim.getMessageList({ conversationID, nextReqMessageID });
    if (current?.conversationID !== conversationID) return;
    const ol = $('messages');
    const height = ol.scrollHeight;
    const fresh = data.messageList.filter((m) => !shown.has(m.ID));
    ol.prepend(...fresh.map(messageItem));
    ol.scrollTop += ol.scrollHeight - height;
    nextReqMessageID = data.nextReqMessageID;
    $('more').hidden = data.isCompleted;
  } catch (e) {
    $('more').hidden = true; // e.g. a brand-new conversation: nothing to page through
    console.info('getMessageList:', e);
  }
}

async function open(conv) {
  current = conv;
  nextReqMessageID = '';
  shown.clear();
  $('messages').replaceChildren();
  $('title').textContent = conv.name;
  $('compose').hidden = false;
  $('text').focus();
  await loadPage();
  $('messages').scrollTop = $('messages').scrollHeight;
  markRead();
  refreshList();
}

function markRead() {
  if (current && document.visibilityState === 'visible') {
    tim.setMessageRead({ conversationID: current.conversationID }).catch(() => {});
  }
}

async function refreshList() {
  try {
    renderConversations((await tim.getConversationList()).data.conversationList);
  } catch (e) {
    console.warn('getConversationList:', e);
  }
}

async function send(text) {
  const message = tim.createTextMessage({
    to: current.to,
    conversationType: current.type,
    payload: { text },
  });
  append([message]);
  try {
    await tim.sendMessage(message); // updates `message` in place: status, time, sequence
  } catch (e) {
    notice(`Not sent (${e.code}): ${e.message}`);
  }
  messageItem(message);
}

async function main() {
  const reply = await fetch(`/debug/usersig?userID=${encodeURIComponent(userID)}`);
  if (!reply.ok) throw new Error(`cannot get a UserSig for ${userID}: HTTP ${reply.status}`);
  const minted = await reply.json();
  const SDKAppID = Number(params.get('sdkappid') || minted.sdkAppID || minted.SDKAppID || 1400000000);

  tim = TIM.create({ SDKAppID });
  tim.on(TIM.EVENT.NET_STATE_CHANGE, ({ data }) => {
    $('net').textContent = data.state;
    $('net').className = `net ${data.state}`;
  });
  tim.on(TIM.EVENT.CONVERSATION_LIST_UPDATED, ({ data }) => renderConversations(data));
  tim.on(TIM.EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, ({ data }) => {
    document.title = data > 0 ? `(${data}) tim-sdk demo` : 'tim-sdk demo';
  });
  tim.on(TIM.EVENT.MESSAGE_RECEIVED, ({ data }) => {
    const mine = data.filter((m) => m.conversationID === current?.conversationID);
    if (mine.length) {
      append(mine);
      markRead();
    }
  });
  tim.on(TIM.EVENT.MESSAGE_REVOKED, ({ data }) => refresh(data));
  tim.on(TIM.EVENT.MESSAGE_MODIFIED, ({ data }) => refresh(data));
  tim.on(TIM.EVENT.MESSAGE_READ_BY_PEER, ({ data }) => refresh(data));
  tim.on(TIM.EVENT.KICKED_OUT, ({ data }) => notice(`Kicked out: ${data.type}`));
  tim.on(TIM.EVENT.ERROR, ({ data }) => notice(`Error ${data.code}: ${data.message}`));

  await tim.login({ userID, userSig: minted.userSig });
  $('me').textContent = `logged in as ${userID}`;
  refreshList();

  $('start').onsubmit = (e) => {
    e.preventDefault();
    const peer = $('peer').value.trim();
    if (!peer) return;
    $('peer').value = '';
    open({ conversationID: `C2C${peer}`, type: TIM.TYPES.CONV_C2C, to: peer, name: peer });
  };
  $('compose').onsubmit = (e) => {
    e.preventDefault();
    const text = $('text').value;
    if (!text.trim() || !current) return;
    $('text').value = '';
    send(text);
  };
  $('more').onclick = loadPage;
  document.addEventListener('visibilitychange', markRead);
}

main().catch((e) => {
  console.error(e);
  $('me').textContent = `failed: ${e.message || e.code}`;
});
