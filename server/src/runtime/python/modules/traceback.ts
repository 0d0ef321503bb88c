/** traceback: print_exc / format_exc / print_exception / format_exception from the evaluator's own traceback of the exception being handled. */
import { PyException, PyInstance, PyList, PyValue } from '../values';
import type { Interp } from '../runtime';
import { StdlibContext, fn, partialModule } from './kit';

/** The exception being handled (innermost `except` block), or the one `value` names. */
function exceptionFor(interp: Interp, value?: PyValue): PyException | PyInstance | undefined {
  if (value instanceof PyInstance) {
    for (let i = interp.handling.length - 1; i >= 0; i--) if (interp.handling[i].exc === value) return interp.handling[i];
    return value;
  }
  return interp.handling[interp.handling.length - 1];
}

function formatted(e: PyException | PyInstance | undefined): string {
  if (!e) return 'NoneType: None\n';
  if (e instanceof PyException) return e.formatTraceback() + '\n';
  const pe = new PyException(e);
  return `${pe.pyType}: ${pe.pyMessage}`.replace(/: $/, '') + '\n';
}

export function tracebackModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const emit = (text: string) => {
    interp.output += text;
    interp.hooks.print(text.replace(/\n$/, ''), interp.currentLoc());
  };
  // (exc) or, as before Python 3.10, (type, value[, tb]): the value is the exception.
  const exceptionArg = (a: PyValue[]) => (a.length ? a[a.length >= 2 ? 1 : 0] : undefined);
  return partialModule('traceback', {
    format_exc: fn('format_exc', () => formatted(exceptionFor(interp))),
    print_exc: fn('print_exc', () => (emit(formatted(exceptionFor(interp))), null)),
    format_exception: fn('format_exception', (a) => new PyList([formatted(exceptionFor(interp, exceptionArg(a)))])),
    print_exception: fn('print_exception', (a) => (emit(formatted(exceptionFor(interp, exceptionArg(a)))), null)),
    format_exception_only: fn('format_exception_only', (a) => {
      const e = exceptionFor(interp, exceptionArg(a));
      const pe = e instanceof PyException ? e : e ? new PyException(e) : undefined;
      return new PyList([pe ? `${pe.pyType}: ${pe.pyMessage}`.replace(/: $/, '') + '\n' : 'NoneType: None\n']);
    }),
  });
}
