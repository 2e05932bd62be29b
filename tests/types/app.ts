// A chat app as tim-js-sdk's users write it. It must type-check with 0 errors against both
// tim-js-sdk 2.27.6's own declarations and js/index.d.ts (scripts/test-types.sh), so it uses
// only what both declare: the methods this SDK implements, with tim-js-sdk's option shapes.
import TIM from 'tim-js-sdk';
import type { ChatSDK, Message, Conversation, Group } from 'tim-js-sdk';

interface SdkError { code: number; message: string }

// tim-js-sdk's upload plugin is built in here; registering it stays harmless.
class TIMUploadPlugin {}

const SDKAppID = 1400000000;
const tim: ChatSDK = TIM.create({ SDKAppID });
tim.setLogLevel(1);
tim.registerPlugin({ 'tim-upload-plugin': TIMUploadPlugin });

const messagesByConversation = new Map<string, Message[]>();
let conversations: Conversation[] = [];
let ready = false;

function describe(message: Message): string {
  switch (message.type) {
    case TIM.TYPES.MSG_TEXT:
      return message.payload.text;
    case TIM.TYPES.MSG_IMAGE:
      return `[image ${message.payload.imageInfoArray.length} sizes]`;
    case TIM.TYPES.MSG_FILE:
      return `[file ${message.payload.fileName}, ${message.payload.fileSize} bytes]`;
    case TIM.TYPES.MSG_AUDIO:
      return `[voice ${message.payload.second}s]`;
    case TIM.TYPES.MSG_VIDEO:
      return `[video ${message.payload.videoSecond}s]`;
    case TIM.TYPES.MSG_CUSTOM:
      return `[custom ${message.payload.description}]`;
    case TIM.TYPES.MSG_FACE:
      return `[face ${message.payload.index}]`;
    case TIM.TYPES.MSG_LOCATION:
      return `[location ${message.payload.latitude},${message.payload.longitude}]`;
    case TIM.TYPES.MSG_MERGER:
      return `[chat history: ${message.payload.title}]`;
    default:
      return '[unsupported message]';
  }
}

function remember(list: Message[]): void {
  for (const message of list) {
    const known = messagesByConversation.get(message.conversationID) ?? [];
    known.push(message);
    messagesByConversation.set(message.conversationID, known);
  }
}

const onMessageReceived = (event: { data: Message[] }): void => {
  remember(event.data);
  for (const message of event.data) {
    const who = message.nick || message.from;
    console.log(`${who} (${message.flow}, ${new Date(message.time * 1000).toISOString()}): ${describe(message)}`);
  }
};

tim.on(TIM.EVENT.SDK_READY, (event: { name: string }) => {
  ready = true;
  console.log('ready:', event.name, tim.getTotalUnreadMessageCount(), 'unread');
});
tim.on(TIM.EVENT.SDK_NOT_READY, () => { ready = false; });
tim.on(TIM.EVENT.MESSAGE_RECEIVED, onMessageReceived);
tim.on(TIM.EVENT.MESSAGE_REVOKED, (event: { data: Message[] }) => {
  event.data.forEach((m: Message) => console.log('revoked', m.ID, m.isRevoked));
});
tim.on(TIM.EVENT.MESSAGE_MODIFIED, (event: { data: Message[] }) => remember(event.data));
tim.on(TIM.EVENT.MESSAGE_READ_BY_PEER, (event: { data: Message[] }) => {
  console.log('read by peer:', event.data.map((m: Message) => m.ID).join(','));
});
tim.on(TIM.EVENT.CONVERSATION_LIST_UPDATED, (event: { data: Conversation[] }) => {
  conversations = event.data;
  for (const c of conversations) {
    const title = c.type === TIM.TYPES.CONV_GROUP ? c.groupProfile?.name : c.userProfile?.nick;
    console.log(c.conversationID, title, c.unreadCount, c.isPinned, c.lastMessage.messageForShow);
  }
});
tim.on(TIM.EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, (event: { data: number }) => {
  document.title = event.data > 0 ? `(${event.data}) Chat` : 'Chat';
});
tim.on(TIM.EVENT.KICKED_OUT, (event: { data: { type: TIM.TYPES } }) => {
  if (event.data.type === TIM.TYPES.KICKED_OUT_MULT_ACCOUNT) console.warn('logged in elsewhere');
  else if (event.data.type === TIM.TYPES.KICKED_OUT_USERSIG_EXPIRED) console.warn('UserSig expired');
});
tim.on(TIM.EVENT.NET_STATE_CHANGE, (event: { data: { state: TIM.TYPES } }) => {
  const online = event.data.state === TIM.TYPES.NET_STATE_CONNECTED;
  document.body.classList.toggle('offline', !online);
});
tim.on(TIM.EVENT.ERROR, (event: { data: { code: number; message: string } }) => {
  console.error('SDK error', event.data.code, event.data.message);
});

async function loadHistory(conversationID: string): Promise<Message[]> {
  const all: Message[] = [];
  let nextReqMessageID: string | undefined;
  for (;;) {
    const res = await tim.getMessageList({ conversationID, nextReqMessageID });
    const page: Message[] = res.data.messageList;
    all.unshift(...page);
    nextReqMessageID = res.data.nextReqMessageID;
    if (res.data.isCompleted) break;
  }
  return all;
}

function pickedFile(id: string): File | undefined {
  const input = document.getElementById(id) as HTMLInputElement | null;
  return input?.files?.[0];
}

async function sendAll(peer: string, groupID: string): Promise<Message[]> {
  const c2c = TIM.TYPES.CONV_C2C;
  const sent: Message[] = [];
  const send = async (message: Message): Promise<void> => {
    try {
      const res = await tim.sendMessage(message, {
        onlineUserOnly: false,
        offlinePushInfo: { title: 'New message', description: 'You have a new message', extension: '{}', disablePush: false },
      });
      sent.push(res.data.message);
    } catch (error) {
      const e = error as SdkError;
      console.error('send failed', e.code, e.message, message.status);
      if (message.status === 'fail') await tim.resendMessage(message);
    }
  };

  await send(tim.createTextMessage({
    to: peer, conversationType: c2c, payload: { text: 'hello' },
    priority: TIM.TYPES.MSG_PRIORITY_NORMAL, cloudCustomData: JSON.stringify({ mood: 'happy' }), needReadReceipt: true,
  }));
  await send(tim.createTextAtMessage({
    to: groupID, conversationType: TIM.TYPES.CONV_GROUP,
    payload: { text: '@all @bob meeting at 3', atUserList: [TIM.TYPES.MSG_AT_ALL, 'bob'] },
    priority: TIM.TYPES.MSG_PRIORITY_HIGH,
  }));
  const onProgress = (percent: number): void => console.log(`upload ${Math.round(percent * 100)}%`);
  const image = pickedFile('image-input');
  if (image) await send(tim.createImageMessage({ to: peer, conversationType: c2c, payload: { file: image }, onProgress }));
  const file = pickedFile('file-input');
  if (file) await send(tim.createFileMessage({ to: peer, conversationType: c2c, payload: { file }, onProgress }));
  const video = pickedFile('video-input');
  if (video) await send(tim.createVideoMessage({ to: peer, conversationType: c2c, payload: { file: video }, onProgress }));
  const audio = pickedFile('audio-input');
  if (audio) await send(tim.createAudioMessage({ to: peer, conversationType: c2c, payload: { file: audio } }));
  await send(tim.createCustomMessage({
    to: peer, conversationType: c2c,
    payload: { data: JSON.stringify({ dice: 6 }), description: 'dice', extension: 'game' },
  }));
  await send(tim.createFaceMessage({ to: peer, conversationType: c2c, payload: { index: 1, data: 'tt00' } }));
  await send(tim.createLocationMessage({
    to: peer, conversationType: c2c,
    payload: { description: 'Shenzhen', longitude: 113.94, latitude: 22.54 },
  }));
  await send(tim.createMergerMessage({
    to: groupID, conversationType: TIM.TYPES.CONV_GROUP,
    payload: { messageList: sent.slice(0, 2), title: 'Chat history', abstractList: ['alice: hello'], compatibleText: 'Upgrade to view' },
  }));
  await send(tim.createForwardMessage({ to: groupID, conversationType: TIM.TYPES.CONV_GROUP, payload: sent[0] }));
  return sent;
}

async function manage(peer: string, sent: Message[]): Promise<void> {
  const conversationID = `C2C${peer}`;
  const history = await loadHistory(conversationID);
  console.log(history.length, 'messages in', conversationID);
  await tim.setMessageRead({ conversationID });
  await tim.setAllMessageRead({ scope: TIM.TYPES.READ_ALL_MSG });

  const text = sent.find((m: Message) => m.type === TIM.TYPES.MSG_TEXT);
  if (text) {
    text.payload = { text: 'hello (edited)' };
    await tim.modifyMessage(text).catch((e: SdkError) => console.warn('modify', e.code));
    await tim.sendMessageReadReceipt([text]).catch((e: SdkError) => console.warn('receipt', e.code));
    const receipts = await tim.getMessageReadReceiptList([text]);
    console.log(receipts.data.messageList.length);
    const found = tim.findMessage(text.ID);
    if (found) console.log('found', found.ID);
  }
  const merger = sent.find((m: Message) => m.type === TIM.TYPES.MSG_MERGER);
  if (merger) await tim.downloadMergeMessage(merger);
  const last = sent[sent.length - 1];
  if (last) {
    await tim.revokeMessage(last).catch((e: SdkError) => console.warn('revoke', e.code));
    await tim.deleteMessage([last]);
  }
  const hop = await tim.getMessageListHopping({ conversationID, time: Math.floor(Date.now() / 1000), direction: 0 });
  console.log(hop.data.messageList.length);

  const list = await tim.getConversationList();
  conversations = list.data.conversationList;
  const profile = await tim.getConversationProfile(conversationID);
  const conversation: Conversation = profile.data.conversation;
  await tim.pinConversation({ conversationID: conversation.conversationID, isPinned: !conversation.isPinned });
  // tim-js-sdk's d.ts types its (mixed) TYPES members as the enum, not number: hence Number().
  const markType = Number(TIM.TYPES.CONV_MARK_TYPE_STAR);
  await tim.markConversation({ conversationIDList: [conversationID], markType, enableMark: true });
  await tim.setConversationCustomData({ conversationIDList: [conversationID], customData: 'draft:hi' });
  await tim.setMessageRemindType({ userIDList: [peer], messageRemindType: TIM.TYPES.MSG_REMIND_ACPT_NOT_NOTE });
  await tim.createConversationGroup({ groupName: 'work', conversationIDList: [conversationID] });
  const groups = await tim.getConversationGroupList();
  console.log(groups.data);
  await tim.renameConversationGroup({ oldName: 'work', newName: 'office' });
  await tim.deleteConversationsFromGroup({ groupName: 'office', conversationIDList: [conversationID] });
  await tim.addConversationsToGroup({ groupName: 'office', conversationIDList: [conversationID] });
  await tim.deleteConversationGroup('office');
  await tim.clearHistoryMessage(conversationID);
  await tim.deleteConversation(conversationID);
}

async function groups(peer: string): Promise<void> {
  tim.on(TIM.EVENT.GROUP_LIST_UPDATED, (event: { data: Group[] }) => console.log(event.data.length));
  const created = await tim.createGroup({
    name: 'team', type: TIM.TYPES.GRP_PUBLIC, joinOption: TIM.TYPES.JOIN_OPTIONS_FREE_ACCESS,
    memberList: [{ userID: peer }], groupCustomField: [{ key: 'k', value: 'v' }],
  });
  const groupID: string = created.data.group.groupID;
  await tim.updateGroupProfile({ groupID, name: 'team 2', introduction: 'hi', muteAllMembers: false });
  const list = await tim.getGroupList({ groupProfileFilter: [TIM.TYPES.GRP_PROFILE_OWNER_ID] });
  for (const g of list.data.groupList) console.log(g.groupID, g.name, g.memberCount, g.selfInfo.role);
  const profile = await tim.getGroupProfile({ groupID });
  console.log(profile.data.group.ownerID);
  const found = await tim.searchGroupByID(groupID);
  console.log(found.data.group.type === TIM.TYPES.GRP_PUBLIC);
  const joined = await tim.joinGroup({ groupID, applyMessage: 'hello', type: TIM.TYPES.GRP_PUBLIC });
  console.log(joined.data.status === TIM.TYPES.JOIN_STATUS_SUCCESS);
  const added = await tim.addGroupMember({ groupID, userIDList: ['carol'] });
  console.log(added.data.successUserIDList.length, added.data.group.memberCount);
  let offset = 0;
  do {
    const page = await tim.getGroupMemberList({ groupID, count: 50, offset });
    for (const m of page.data.memberList) console.log(m.userID, m.role, m.nameCard);
    offset = page.data.offset;
  } while (offset);
  const members = await tim.getGroupMemberProfile({ groupID, userIDList: [peer] });
  console.log(members.data.memberList[0]?.joinTime);
  await tim.setGroupMemberNameCard({ groupID, nameCard: 'boss' });
  await tim.setGroupMemberCustomField({ groupID, memberCustomField: [{ key: 'k', value: 'v' }] });
  await tim.deleteGroupMember({ groupID, userIDList: ['carol'], reason: 'bye' });
  await tim.changeGroupOwner({ groupID, newOwnerID: peer });
  await tim.quitGroup(groupID);
  const dismissed = await tim.dismissGroup('other');
  console.log(dismissed.data.groupID);
}

export async function main(userID: string, userSig: string): Promise<void> {
  const login = await tim.login({ userID, userSig });
  if (login.data.repeatLogin) console.log('already logged in');
  await new Promise<void>((resolve) => {
    if (ready) resolve();
    else tim.on(TIM.EVENT.SDK_READY, () => resolve());
  });
  const sent = await sendAll('bob', 'group1');
  await manage('bob', sent);
  await groups('bob');
  tim.off(TIM.EVENT.MESSAGE_RECEIVED, onMessageReceived);
  await tim.logout();
  await tim.destroy();
}

// ---------------------------------------------------------------------------------------------
// The loose patterns tim-js-sdk's declarations allow and real apps use (its payloads, results and
// `lastMessage` are `any`, its handlers `Function`, its event names `string`, its constants enums).
// ---------------------------------------------------------------------------------------------

// Payload fields read without narrowing on `type`, as their real types.
export function preview(message: Message): string {
  if (message.type === TIM.TYPES.MSG_TEXT) {
    const text: string = message.payload.text;
    return text;
  }
  if (message.type === TIM.TYPES.MSG_IMAGE) {
    const url: string = message.payload.imageInfoArray[0].url;
    const sizes: number = message.payload.imageInfoArray.filter((info: { type: number }) => info.type === 1).length;
    return `${url} (${sizes})`;
  }
  const fileName: string = message.payload.fileName ?? '';
  const seconds: number = message.payload.second || message.payload.videoSecond || 0;
  const custom = message.type === TIM.TYPES.MSG_CUSTOM ? JSON.parse(message.payload.data) : null;
  return `${message.payload.description ?? fileName} ${seconds} ${custom}`;
}
// ... including on messages from results and events, without annotations.
export async function firstText(conversationID: string): Promise<string> {
  const imResponse = await tim.getMessageList({ conversationID });
  const list = imResponse.data.messageList;
  return list.length ? list[0].payload.text : '';
}

// The file picker of tim-js-sdk's documentation: `getElementById` (HTMLElement | null), the
// input element, a File, a Blob.
export function sendPicked(to: string): Promise<unknown>[] {
  const conversationType = TIM.TYPES.CONV_C2C;
  const onProgress = function (event: number) { console.log('file uploading:', event); };
  const picker = document.getElementById('imagePicker');
  const input = document.querySelector<HTMLInputElement>('#filePicker');
  const file = input?.files?.[0];
  const sends = [
    tim.sendMessage(tim.createImageMessage({ to, conversationType, payload: { file: picker }, onProgress })),
    tim.sendMessage(tim.createFileMessage({ to, conversationType, payload: { file: input }, onProgress })),
    tim.sendMessage(tim.createVideoMessage({ to, conversationType, payload: { file: document.getElementById('videoPicker') } })),
  ];
  if (file) sends.push(tim.sendMessage(tim.createAudioMessage({ to, conversationType, payload: { file: new Blob([file]) } })));
  return sends;
}

// Conversation profiles without `?.` (tim-js-sdk declares them, and their fields, non-optional).
export function title(conversation: Conversation): string {
  const last = conversation.lastMessage;
  const when: number = last.lastTime;
  const preview: string = last.type === TIM.TYPES.MSG_TEXT ? last.payload.text : last.messageForShow;
  if (conversation.type === TIM.TYPES.CONV_C2C) {
    const nick: string = conversation.userProfile.nick;
    return `${nick || conversation.userProfile.userID}: ${preview} @${when}`;
  }
  const live = conversation.groupProfile.type === TIM.TYPES.GRP_AVCHATROOM;
  const owner: string = conversation.groupProfile.ownerID;
  const atMe = conversation.groupAtInfoList.some((info: { atTypeArray: number[] }) => info.atTypeArray.includes(1));
  return `${conversation.groupProfile.name} ${live} ${owner} ${atMe}: ${preview}`;
}

// Handlers as tim-js-sdk types them: `Function` values, `any` events, string event names.
const handlers: { [name: string]: Function } = {};
handlers[TIM.EVENT.MESSAGE_RECEIVED] = function (event: any) { console.log(event.data.length); };
tim.on(TIM.EVENT.MESSAGE_RECEIVED, handlers[TIM.EVENT.MESSAGE_RECEIVED]);
tim.off(TIM.EVENT.MESSAGE_RECEIVED, handlers[TIM.EVENT.MESSAGE_RECEIVED]);
const onKicked: Function = (event: { data: { type: string } }) => console.warn('kicked out:', event.data.type);
tim.on(TIM.EVENT.KICKED_OUT, onKicked);
tim.on(TIM.EVENT.CONVERSATION_LIST_UPDATED, (event: any) => {
  const list: Conversation[] = event.data;
  console.log(list.map((c) => c.userProfile.nick));
});
tim.on('onMessageReceived', (event: { name: string; data: Message[] }) => console.log(event.name, event.data[0].payload.text));
const eventName: string = TIM.EVENT.GROUP_LIST_UPDATED;
tim.on(eventName, (event: { data: Array<{ groupID: string }> }) => console.log(event.data.map((g) => g.groupID)));
tim.on(TIM.EVENT.MESSAGE_READ_RECEIPT_RECEIVED, (event: { data: Array<{ messageID: string; readCount: number }> }) => {
  event.data.forEach((receipt) => console.log(receipt.messageID, receipt.readCount));
});
class ChatStore {
  unread = 0;
  onUnread(event: { data: number }): void { this.unread = event.data; }
  listen(): void { tim.on(TIM.EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, this.onUnread, this); }
}
new ChatStore().listen();

// Constants held in variables and fields: enum members widen to TIM.TYPES.
export class ChatView {
  conversationType = TIM.TYPES.CONV_C2C;
  priority = TIM.TYPES.MSG_PRIORITY_NORMAL;
  state = { remind: TIM.TYPES.MSG_REMIND_ACPT_AND_NOTE };

  open(isGroup: boolean): void {
    if (isGroup) this.conversationType = TIM.TYPES.CONV_GROUP;
    this.priority = TIM.TYPES.MSG_PRIORITY_HIGH;
    this.state.remind = TIM.TYPES.MSG_REMIND_DISCARD;
  }

  async send(to: string, text: string): Promise<void> {
    let type = TIM.TYPES.CONV_C2C;
    if (to.startsWith('@TGS#')) type = TIM.TYPES.CONV_GROUP;
    const kind: TIM.TYPES = this.conversationType;
    const message = tim.createTextMessage({ to, conversationType: type, payload: { text }, priority: this.priority });
    await tim.sendMessage(message, { messageControlInfo: { excludedFromUnreadCount: true } });
    await tim.setMessageRemindType({ groupID: to, messageRemindType: this.state.remind });
    await tim.pinConversation({ conversationID: `${kind}${to}`, isPinned: true });
  }
}

// Results read as tim-js-sdk's documentation does, and Promise<void> where its d.ts says so.
export async function session(userID: string, userSig: string): Promise<void> {
  tim.login({ userID, userSig }).then((imResponse) => {
    if (imResponse.data.repeatLogin === true) console.log(imResponse.data.errorInfo);
  }).catch((imError: any) => console.warn('login error:', imError.code, imError.message));
  const hopping = await tim.getMessageListHopping({ conversationID: 'GROUPg1', sequence: 10 });
  console.log(hopping.data.messageList.length, hopping.data.nextMessageSeq);
  const sent = await tim.sendMessage(tim.createCustomMessage({ to: 'bob', conversationType: TIM.TYPES.CONV_C2C, payload: { data: '{}' } }));
  const sentMessage: Message = sent.data.message;
  console.log(sentMessage.readReceiptInfo.readCount, sentMessage.readReceiptInfo.unreadCount);
  const merged = sentMessage.type === TIM.TYPES.MSG_MERGER ? sentMessage : null;
  if (merged) {
    await tim.downloadMergeMessage(merged);
    console.log(merged.payload.messageList.length);
  }
  const ui = { status: sentMessage.status, flow: sentMessage.flow };
  ui.status = 'sending';
  ui.flow = 'system';
  const done: Promise<void> = tim.logout();
  await done;
}
export function shutdown(): Promise<void> {
  return tim.destroy();
}

// A message written against tim-js-sdk's Message (a test fixture), and an extended one.
export const fixture: Message = {
  ID: 'm1', type: TIM.TYPES.MSG_TEXT, payload: { text: 'hi' }, conversationID: 'C2Cbob', conversationType: TIM.TYPES.CONV_C2C,
  to: 'bob', from: 'alice', flow: 'out', time: 0, status: 'success', isRevoked: false, priority: TIM.TYPES.MSG_PRIORITY_NORMAL,
  nick: '', avatar: '', isPeerRead: false, nameCard: '', atUserList: [], cloudCustomData: '', isDeleted: false,
  isModified: false, needReadReceipt: false, readReceiptInfo: { readCount: 0, unreadCount: 0 }, isBroadcastMessage: false,
};
export interface UiMessage extends Message { selected: boolean }
