// getMessageList without conversationID.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
export const page = tim.getMessageList({ nextReqMessageID: 'abc' }); // expect TS2345
