// Comparing a KICKED_OUT reason with a NET_STATE value.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
tim.on(TIM.EVENT.KICKED_OUT, (event: { data: { type: 'multipleAccount' | 'multipleDevice' | 'userSigExpired' | 'REST_API_Kick' } }) => {
  if (event.data.type === TIM.TYPES.NET_STATE_CONNECTED) console.log('never'); // expect TS2367
});
