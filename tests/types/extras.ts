// What only tim-wasm has, against js/index.d.ts: the package entry (`init`, named `TIM`), the
// non-standard options and methods, and the precise types tim-js-sdk's declarations lack.
import TIM, { init, TIM as NamedTIM, ChatSDK } from 'tim-wasm';
import type {
  ChatError, ChatEvent, Conversation, EventHandler, EventName, Message, MessageOf, MessageResult, Profile, Group,
  GroupMember, TypedMessage, ImagePayload, TEXT_PAYLOAD_OPTIONS, ConversationType,
} from 'tim-wasm';

export async function extras(wasm: ArrayBuffer): Promise<void> {
  await init(wasm);
  await init(new URL('https://cdn.example.com/tim_sdk_bg.wasm'));
  const same: typeof TIM = NamedTIM;
  const version: string = same.VERSION;

  const alice = TIM.create({
    SDKAppID: 1400000000, serverURL: 'wss://chat.example.com', instanceName: 'alice',
    cache: { maxMessagesPerConversation: 1000, maxMessages: 50000 },
  });
  const bob: ChatSDK = TIM.create({ SDKAppID: 1400000000, instanceName: 'bob' });
  console.log(version, alice.isReady(), alice.getLoginUser(), alice.getServerTime() > 0);

  // Enums with literal values: a member is a type and is assignable to its value.
  const c2c: 'C2C' = TIM.TYPES.CONV_C2C;
  const star: TIM.TYPES.CONV_MARK_TYPE_STAR = TIM.TYPES.CONV_MARK_TYPE_STAR;
  const starBit: 1 = star;
  const received: 'onMessageReceived' = TIM.EVENT.MESSAGE_RECEIVED;
  const anyEvent: EventName = TIM.EVENT.SDK_DESTROY;
  const kind: ConversationType = TIM.TYPES.CONV_GROUP;
  console.log(c2c, starBit, received, anyEvent, kind);

  // Typed events: no annotation needed.
  alice.on(TIM.EVENT.MESSAGE_RECEIVED, (event) => {
    for (const m of event.data) if (m.type === TIM.TYPES.MSG_TEXT) console.log(m.payload.text.length, m.version);
    // Narrowing on `type`, for who wants the payload's precise type.
    for (const m of event.data as TypedMessage[]) {
      if (m.type === TIM.TYPES.MSG_IMAGE) {
        const image: ImagePayload = m.payload;
        console.log(image.imageInfoArray.map((i) => i.url));
      }
    }
  });
  const onUnread: EventHandler<TIM.EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED> = (event) => console.log(event.data + 1);
  alice.on(TIM.EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, onUnread);
  alice.on(TIM.EVENT.KICKED_OUT, (event) => {
    const kind: 'multipleAccount' | 'multipleDevice' | 'userSigExpired' | 'REST_API_Kick' = event.data.type;
    console.log(kind);
  });
  alice.on(TIM.EVENT.GROUP_SYSTEM_NOTICE_RECEIVED, (event) => console.log(event.data.type, event.data.message.ID));
  alice.on(TIM.EVENT.CONVERSATION_IN_GROUP_UPDATED, (event) => console.log(event.data.groupName));
  alice.on(TIM.EVENT.MESSAGE_READ_RECEIPT_RECEIVED, (event) => event.data.forEach((r) => console.log(r.readCount)));
  const onAny = (event: ChatEvent): void => console.log(event.name);
  alice.on(TIM.EVENT.SDK_DESTROY, onAny);
  alice.off(TIM.EVENT.SDK_DESTROY, onAny, null);
  alice.off(TIM.EVENT.ERROR);

  await alice.login({ userID: 'alice', userSig: 'sig' });
  // Precise payload options for who wants them checked (the call itself takes any object).
  const hi: TEXT_PAYLOAD_OPTIONS = { text: 'hi' };
  const text = alice.createTextMessage({ to: 'bob', conversationType: TIM.TYPES.CONV_C2C, payload: hi });
  const sent = await alice.sendMessage(text, { onlineUserOnly: true });
  const sentText = sent.data.message as MessageOf<TIM.TYPES.MSG_TEXT>;
  const sameType: MessageOf<'TIMTextElem'> = sentText;
  sameType.payload.text = 'edited';
  await alice.modifyMessage(sentText).catch((e: ChatError<MessageResult>) => console.log(e.code, e.data?.message.version));
  await alice.sendMessageV2(text, undefined, (result) => console.log(result.code));
  const forwarded: Message = alice.createForwardMessage(sentText, { to: 'carol', conversationType: TIM.TYPES.CONV_C2C });
  const batch = await alice.batchSendMessage(forwarded, ['carol', 'dave']);
  batch.data.failureUserIDList.forEach((f) => console.log(f.userID, f.code));

  const page = await alice.getConversationList({ nextSeq: 0, count: 50 });
  const next: number = page.data.nextSeq;
  const list: Conversation[] = page.data.conversationList;
  console.log(next, page.data.isFinished, list.map((c) => c.markList.includes(TIM.TYPES.CONV_MARK_TYPE_STAR)));
  const readers = await alice.getGroupMessageReadMemberList({ message: sentText, filter: 0 });
  console.log(readers.data.readUserIDList?.length, readers.data.cursor);

  await alice.importMessageList({ conversationID: 'C2Cbob', messageList: [text] });
  const local = await alice.insertC2CMessageToLocalStorage({ userID: 'bob', sender: 'alice', data: 'local note' });
  await alice.insertGroupMessageToLocalStorage({ groupID: 'g1', sender: 'bob', data: local.data.message });
  await alice.deleteMessageFromLocalStorage({ msgID: local.data.message.ID });
  const located = await alice.findMessageByLocatorList({ conversationID: 'GROUPg1', locatorList: [{ sequence: 3 }] });
  console.log(located.data.messageList.length);
  const experimental = await alice.callExperimentalAPI('isCommercialAbilityEnabled', 1);
  const enabled: boolean = experimental.data.enabled;
  console.log(enabled, list.map((c) => (c.lastMessage.type === TIM.TYPES.MSG_TEXT ? c.lastMessage.payload.text : c.draftText)));

  const profile: Partial<Profile> = { nick: 'x' };
  const group: Partial<Group> = { groupID: 'g1' };
  const member: Partial<GroupMember> = { userID: 'bob' };
  console.log(profile, group, member);
  await alice.destroy({ clearCache: true });
  await bob.destroy();
}
