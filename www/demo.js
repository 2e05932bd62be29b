// The demo chat: plain JavaScript over the SDK's tim-js-sdk-compatible API.
// Open /?user=alice and /?user=bob in two tabs. Options: &sdkappid=N (default: the server's).
// Shows text, image and file messages (upload progress per message), revoke, unread counts.
import TIM from '/pkg/tim.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const userID = params.get('user') || 'alice';
const IMAGE_TYPES = /^image\/(jpeg|png|gif|bmp|webp)$/; // what createImageMessage accepts

let tim;
let current = null;          // { conversationID, type, to, name }
let nextReqMessageID = '';
let atBottom = true;         // the message list is scrolled to its end
const shown = new Map();     // message ID -> <li> in the open conversation
const uploads = new Map();   // message ID -> { percent, preview } for files sent from this page

function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { $('notice').hidden = true; }, 4000);
}

// el('a', {href, className}, child…): an element with properties and children (nodes or text;
// null, undefined and '' are skipped).
const present = (children) => children.filter((c) => c !== null && c !== undefined && c !== '');
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...present(children));
  return node;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function peerOf(conv) {
  if (conv.type === TIM.TYPES.CONV_GROUP) {
    const id = conv.groupProfile?.groupID || conv.conversationID.slice(5);
    return { to: id, name: conv.groupProfile?.name || id };
  }
  const id = conv.userProfile?.userID || conv.conversationID.slice(3);
  return { to: id, name: id };
}

function lastLine(conv) {
  const last = conv.lastMessage;
  if (!last || !last.type) return '';
  if (last.isRevoked) return 'Message revoked';
  return (last.fromAccount === userID ? 'You: ' : '') + last.messageForShow;
}

function renderConversations(list) {
  $('conversations').replaceChildren(...list.map((conv) => {
    const { to, name } = peerOf(conv);
    const li = el('li', {},
      el('span', { className: 'name', textContent: (conv.type === TIM.TYPES.CONV_GROUP ? '# ' : '') + name }),
      el('span', { className: 'last', textContent: lastLine(conv) }),
      conv.unreadCount > 0
        ? el('span', { className: 'badge', textContent: conv.unreadCount > 99 ? '99+' : String(conv.unreadCount) })
        : null);
    li.dataset.conversationId = conv.conversationID;
    li.classList.toggle('active', conv.conversationID === current?.conversationID);
    li.onclick = () => open({ conversationID: conv.conversationID, type: conv.type, to, name });
    return li;
  }));
}

function showTotalUnread(count) {
  $('unread').textContent = `${count} unread`;
  $('unread').hidden = !(count > 0);
  document.title = count > 0 ? `(${count}) tim-sdk demo` : 'tim-sdk demo';
}

// --- message content, by type ------------------------------------------------------------

// Keeps the list at its end when an image or video arriving late makes it taller.
function keepBottom() {
  if (atBottom) $('messages').scrollTop = $('messages').scrollHeight;
}

function image(message) {
  const infos = message.payload.imageInfoArray || [];
  const original = infos.find((i) => i.type === 0) || infos[0];
  // The 720 px "large" copy (the bigger of the two resized ones; the original if it is small).
  const large = infos.filter((i) => i !== original).sort((a, b) => b.width - a.width)[0] || original;
  const src = large?.url || uploads.get(message.ID)?.preview; // a local preview while uploading
  if (!src) return el('span', { className: 'placeholder', textContent: '[image]' });
  const img = el('img', { src, alt: 'image', loading: 'lazy', onload: keepBottom });
  if (large?.width) Object.assign(img, { width: large.width, height: large.height });
  if (!original?.url) return img;
  const size = `${original.width}×${original.height}, ${formatSize(original.size)}`;
  return el('a', { href: original.url, target: '_blank', rel: 'noopener', title: `Open the original (${size})` }, img);
}

function fileLink(url, name, size) {
  const ext = /\.(\w{1,4})$/.exec(name || '')?.[1] || 'file';
  const label = [el('span', { className: 'icon', textContent: ext }),
    el('span', { className: 'fname', textContent: name || 'file' }),
    el('span', { className: 'fsize', textContent: formatSize(size || 0) })];
  if (!url) return el('span', { className: 'file' }, ...label); // not uploaded yet
  return el('a', { className: 'file', href: url, download: name || '', target: '_blank', rel: 'noopener' }, ...label);
}

function content(message) {
  if (message.isRevoked) {
    const text = message.flow === 'out' ? 'You revoked a message' : 'Message revoked';
    return el('span', { className: 'note', textContent: text });
  }
  const p = message.payload || {};
  const upload = uploads.get(message.ID);
  switch (message.type) {
    case TIM.TYPES.MSG_TEXT: return p.text;
    case TIM.TYPES.MSG_IMAGE: return image(message);
    case TIM.TYPES.MSG_FILE: return fileLink(p.fileUrl, p.fileName || upload?.name, p.fileSize || upload?.size);
    case TIM.TYPES.MSG_VIDEO:
      if (!p.videoUrl) return '[video]';
      return el('video', { src: p.videoUrl, poster: p.thumbUrl || '', controls: true, preload: 'metadata',
        onloadedmetadata: keepBottom });
    case TIM.TYPES.MSG_AUDIO:
      if (!p.url) return '[audio]';
      return el('span', { className: 'audio' }, el('audio', { src: p.url, controls: true, preload: 'none' }),
        p.second ? `${p.second}″` : '');
    case TIM.TYPES.MSG_CUSTOM: return `[custom] ${p.description || p.data}`;
    case TIM.TYPES.MSG_FACE: return `[face ${p.index}]`;
    case TIM.TYPES.MSG_LOCATION: {
      const at = `mlat=${p.latitude}&mlon=${p.longitude}`;
      return el('a', { href: `https://www.openstreetmap.org/?${at}`, target: '_blank', rel: 'noopener',
        textContent: `[location] ${p.description || `${p.latitude}, ${p.longitude}`}` });
    }
    case TIM.TYPES.MSG_MERGER: return `[chat history] ${p.title || ''}`;
    default: return `[${message.type}]`;
  }
}

function progressBar(percent) {
  const pct = Math.round(percent * 100);
  return el('div', { className: `progress${pct >= 100 ? ' done' : ''}` },
    el('progress', { max: 1, value: percent }), el('span', { textContent: `${pct}%` }));
}

function onProgress(id, percent) {
  const upload = uploads.get(id);
  if (!upload) return;
  upload.percent = percent;
  const li = shown.get(id);
  li?.querySelector('.progress')?.replaceWith(progressBar(percent));
  if (li) li.dataset.progress = Math.round(percent * 100);
}

// --- the message list --------------------------------------------------------------------

function action(label, run) {
  return el('button', { type: 'button', className: 'action', textContent: label, onclick: run });
}

function revoke(message) {
  tim.revokeMessage(message) // updates `message` in place (isRevoked); the peer gets MESSAGE_REVOKED
    .then(() => refresh([message]))
    .catch((e) => notice(`Not revoked (${e.code}): ${e.message}`));
}

function resend(message) {
  refresh([Object.assign(message, { status: 'unSend' })]);
  tim.resendMessage(message) // a file message uploads only the chunks the server lacks
    .catch((e) => notice(`Not sent (${e.code}): ${e.message}`))
    .finally(() => refresh([message]));
}

function messageItem(message) {
  const li = shown.get(message.ID) || el('li');
  li.className = `${message.flow} ${message.status}`;
  li.classList.toggle('revoked', !!message.isRevoked);
  li.dataset.id = message.ID;
  li.dataset.type = message.type;
  const when = new Date((message.time || message.clientTime) * 1000).toLocaleTimeString();
  const flags = [
    message.status === 'unSend' ? 'sending…' : '',
    message.status === 'fail' ? 'failed' : '',
    message.isModified && !message.isRevoked ? 'edited' : '',
    message.flow === 'out' && message.isPeerRead ? 'read' : '',
  ].filter(Boolean);
  const mine = message.flow === 'out' && !message.isRevoked;
  const upload = uploads.get(message.ID);
  li.replaceChildren(...present([
    el('span', { className: 'meta' }, [message.from, when, ...flags].join(' · '),
      mine && message.status === 'success' ? action('Revoke', () => revoke(message)) : null,
      mine && message.status === 'fail' ? action('Resend', () => resend(message)) : null),
    el('div', { className: 'body' }, content(message)),
    upload && !message.isRevoked ? progressBar(upload.percent) : null]));
  if (upload) li.dataset.progress = Math.round(upload.percent * 100);
  shown.set(message.ID, li);
  return li;
}

// Re-renders messages already on screen (revoked, modified, read by the peer).
function refresh(messages) {
  for (const m of messages) if (shown.has(m.ID)) messageItem(m);
}

function append(messages) {
  for (const m of messages) $('messages').append(messageItem(m));
  keepBottom();
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
  atBottom = true;
  $('messages').replaceChildren();
  $('title').textContent = conv.name;
  $('compose').hidden = false;
  $('text').focus();
  await loadPage();
  keepBottom();
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

// --- sending -----------------------------------------------------------------------------

async function send(message) {
  atBottom = true;
  append([message]);
  try {
    await tim.sendMessage(message); // updates `message` in place: status, time, sequence, payload URLs
  } catch (e) {
    notice(`Not sent (${e.code}): ${e.message}`);
  }
  refresh([message]); // unless another conversation was opened meanwhile
}

function sendText(text) {
  send(tim.createTextMessage({ to: current.to, conversationType: current.type, payload: { text } }));
}

// An image goes as an image message (the SDK adds 720 px and 198 px copies), anything else as a file.
async function sendFile(file) {
  const isImage = IMAGE_TYPES.test(file.type);
  let id = '';
  const options = {
    to: current.to,
    conversationType: current.type,
    payload: { file },
    onProgress: (percent) => onProgress(id, percent),
  };
  let message;
  try {
    message = isImage ? tim.createImageMessage(options) : tim.createFileMessage(options);
  } catch (e) {
    notice(`Cannot send ${file.name} (${e.code}): ${e.message}`);
    return;
  }
  id = message.ID;
  const preview = isImage ? URL.createObjectURL(file) : null;
  uploads.set(id, { percent: 0, preview, name: file.name, size: file.size });
  await send(message);
  if (preview && message.status === 'success') {
    uploads.get(id).preview = null;
    URL.revokeObjectURL(preview);
  }
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
  tim.on(TIM.EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, ({ data }) => showTotalUnread(data));
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
  showTotalUnread(tim.getTotalUnreadMessageCount());
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
    sendText(text);
  };
  $('file').onchange = () => {
    for (const file of $('file').files) sendFile(file);
    $('file').value = ''; // the same file can be picked again
  };
  const chat = $('chat');
  chat.ondragover = (e) => {
    if (!current || !e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    chat.classList.add('drop');
  };
  chat.ondragleave = () => chat.classList.remove('drop');
  chat.ondrop = (e) => {
    chat.classList.remove('drop');
    if (!current) return;
    e.preventDefault();
    for (const file of e.dataTransfer.files) sendFile(file);
  };
  $('messages').onscroll = () => {
    const ol = $('messages');
    atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  };
  $('more').onclick = loadPage;
  document.addEventListener('visibilitychange', markRead);
}

main().catch((e) => {
  console.error(e);
  $('me').textContent = `failed: ${e.message || e.code}`;
});
