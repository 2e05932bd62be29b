// A tim-js-sdk app outside the browser (Node, a mini-program): compiled without the DOM lib, it
// must type-check against tim-js-sdk's declarations and ours alike (scripts/test-types.sh), so
// js/index.d.ts may name no DOM type (tim-js-sdk's name none).
import TIM from 'tim-js-sdk';
import type { Message } from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
const seen: string[] = [];

tim.on(TIM.EVENT.MESSAGE_RECEIVED, (event: { data: Message[] }) => {
  for (const message of event.data) seen.push(message.type === TIM.TYPES.MSG_TEXT ? message.payload.text : message.ID);
});

export async function reply(userID: string, userSig: string, to: string): Promise<number> {
  await tim.login({ userID, userSig });
  const message = tim.createTextMessage({ to, conversationType: TIM.TYPES.CONV_C2C, payload: { text: seen.join('\n') } });
  const imResponse = await tim.sendMessage(message);
  await tim.logout();
  return imResponse.data.message.time;
}
