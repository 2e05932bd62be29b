// TIM.create without SDKAppID.
import TIM from 'tim-js-sdk';

export const tim = TIM.create({ oversea: false }); // expect TS2345
