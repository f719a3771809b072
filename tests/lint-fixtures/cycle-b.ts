// Half of an import cycle on purpose (the lint control test expects import-x/no-cycle here).
import { fireAndForget } from './floating';

export function cycleB(): number {
  return typeof fireAndForget === 'function' ? 1 : 0;
}
