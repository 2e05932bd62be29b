// createTextMessage without `to`.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
tim.createTextMessage({ conversationType: TIM.TYPES.CONV_C2C, payload: { text: 'hi' } }); // expect TS2345
