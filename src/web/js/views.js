// A message view in one crossing instead of one per field and value (views.rs); the field
// order of MessageView's Serialize.
export function messageView(ID, type, payload, conversationID, conversationType, to, from, flow, time, clientTime, sequence, random, status, isRevoked, priority, nick, avatar, isPeerRead, nameCard, atUserList, cloudCustomData, isDeleted, isModified, needReadReceipt, readCount, unreadCount, isBroadcastMessage, version) {
  return { ID, type, payload, conversationID, conversationType, to, from, flow, time, clientTime, sequence, random, status, isRevoked, priority, nick, avatar, isPeerRead, nameCard, atUserList, cloudCustomData, isDeleted, isModified, needReadReceipt, readReceiptInfo: { readCount, unreadCount }, isBroadcastMessage, version };
}
