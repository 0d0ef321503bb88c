/**
 * gc: the evaluator's memory is JavaScript's; collect() finds nothing to free (0), the switches are
 * accepted. get_objects / get_referrers / get_referents cannot be answered honestly: CPython lists
 * every live object of the interpreter, DataFlow's and Kailash's own internals included (its SQLite
 * adapter's aiosqlite connections, pools, caches), which the runtime does not create; a list of only
 * the user's objects would make a leak check pass without looking. They are not modelled (exit 2).
 */
import { unsupported } from '../runtime';
import { StdlibContext, fn, partialModule } from './kit';

const WHY = "it lists every live object of the Python process, DataFlow's and Kailash's internal ones included (their aiosqlite connections, pools, caches), which the runtime does not create: an answer would be incomplete";

export function gcModule(_ctx: StdlibContext) {
  let enabled = true;
  const notModelled = (name: string) => fn(name, (_a, _k, c) => { throw unsupported(`gc.${name}()`, c.loc, WHY); });
  return partialModule('gc', {
    collect: fn('collect', () => 0),
    enable: fn('enable', () => ((enabled = true), null)),
    disable: fn('disable', () => ((enabled = false), null)),
    isenabled: fn('isenabled', () => enabled),
    get_objects: notModelled('get_objects'),
    get_referrers: notModelled('get_referrers'),
    get_referents: notModelled('get_referents'),
  });
}
