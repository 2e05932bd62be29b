// A misspelt TIM.EVENT key.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
tim.on(TIM.EVENT.MESAGE_RECEIVED, () => console.log('never')); // expect TS2551 TS2339
