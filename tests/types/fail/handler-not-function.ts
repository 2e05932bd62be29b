// A listener that is not a function (tim-js-sdk's `on` takes a `Function` too).
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
tim.on(TIM.EVENT.ERROR, 'console.error'); // expect TS2769 TS2345
