// A tim-js-sdk method this SDK does not implement (groups): not declared.
import TIM from 'tim-js-sdk';

const tim = TIM.create({ SDKAppID: 1400000000 });
export const created = tim.createGroup({ name: 'team', type: TIM.TYPES.GRP_WORK }); // expect TS2339
