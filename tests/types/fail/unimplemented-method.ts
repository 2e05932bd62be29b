// A tim-js-sdk method this SDK does not implement (friends): not declared.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
export const friends = tim.getFriendList(); // expect TS2339
