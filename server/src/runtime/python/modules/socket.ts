/** socket: the host name only (a fixed 'localhost', so runs are reproducible); any network use is not modelled (exit 2). */
import { builtinExceptionClasses, PyClass } from '../values';
import { StdlibContext, fn, partialModule } from './kit';

export function socketModule(_ctx: StdlibContext) {
  const oserror = builtinExceptionClasses.get('OSError')!;
  const exc = (name: string, base: PyClass = oserror) => new PyClass(name, [base], new Map(), undefined, name, 'socket');
  return partialModule('socket', {
    gethostname: fn('gethostname', () => 'localhost'),
    getfqdn: fn('getfqdn', () => 'localhost'),
    error: oserror,
    timeout: builtinExceptionClasses.get('TimeoutError') ?? exc('timeout'),
    gaierror: exc('gaierror'),
    herror: exc('herror'),
  });
}
