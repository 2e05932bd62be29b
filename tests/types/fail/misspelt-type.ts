// A misspelt TIM.TYPES key.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
tim.createTextMessage({
  to: 'bob',
  conversationType: TIM.TYPES.CONV_C2CC, // expect TS2551 TS2339
  payload: { text: 'hi' },
});
