/** gc: the evaluator's memory is JavaScript's; collect() finds nothing to free (0), the switches are accepted. */
import { StdlibContext, fn, partialModule } from './kit';

export function gcModule(_ctx: StdlibContext) {
  let enabled = true;
  return partialModule('gc', {
    collect: fn('collect', () => 0),
    enable: fn('enable', () => ((enabled = true), null)),
    disable: fn('disable', () => ((enabled = false), null)),
    isenabled: fn('isenabled', () => enabled),
  });
}
