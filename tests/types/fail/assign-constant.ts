// TIM.TYPES is read-only.
import TIM from 'tim-js-sdk';

TIM.TYPES.CONV_C2C = 'GROUP'; // expect TS2540 TS2588 TS2322
