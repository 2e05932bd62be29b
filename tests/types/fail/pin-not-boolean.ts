// pinConversation with a string flag.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
export const pinned = tim.pinConversation({ conversationID: 'C2Cbob', isPinned: 'yes' }); // expect TS2322
