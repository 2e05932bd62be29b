// createImageMessage without a payload (the file to send).
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
tim.createImageMessage({ to: 'bob', conversationType: TIM.TYPES.CONV_C2C }); // expect TS2345
