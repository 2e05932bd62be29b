// sendMessage of a hand-made object instead of a Message.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
export const sent = tim.sendMessage({ ID: 'x', payload: { text: 'hi' } }); // expect TS2345
