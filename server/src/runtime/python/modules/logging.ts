/** logging: every record goes to the run log. */
import { PyDict, PyList, PyTuple, PyValue, SourceLocation } from '../values';
import { Interp } from '../runtime';
import { str } from '../protocols/text';
import { HostContext, HostObject } from '../host';
import { fn } from './kit';

export class Logger extends HostObject {
  constructor(
    readonly name: string,
    private readonly interp: Interp,
  ) {
    super();
  }
  override get typeName(): string {
    return 'Logger';
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    const levels: Record<string, string> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', warn: 'WARNING', error: 'ERROR', exception: 'ERROR', critical: 'CRITICAL', fatal: 'CRITICAL' };
    if (name in levels)
      return fn(name, (a) => {
        this.emit(levels[name], a, ctx.loc, name === 'exception');
        return null;
      });
    if (name === 'log')
      return fn('log', (a) => {
        this.emit(String(a[0]), a.slice(1), ctx.loc);
        return null;
      });
    if (name === 'name') return this.name;
    if (name === 'level') return 0;
    if (name === 'handlers') return new PyList([]);
    if (['setLevel', 'addHandler', 'removeHandler', 'addFilter', 'propagate', 'disabled'].includes(name)) return fn(name, () => null);
    if (name === 'isEnabledFor') return fn(name, () => true);
    if (name === 'getChild') return fn(name, (a) => new Logger(`${this.name}.${String(a[0])}`, this.interp));
    return undefined;
  }
  override setAttr(): boolean {
    return true;
  }
  emit(level: string, a: PyValue[], loc: SourceLocation | undefined, withTraceback = false): void {
    let msg = a.length ? str(this.interp, a[0]) : '';
    if (a.length > 1 && typeof a[0] === 'string') {
      try {
        const args = a.length === 2 && a[1] instanceof PyDict ? a[1] : new PyTuple(a.slice(1));
        msg = binopPercent(this.interp, a[0], args);
      } catch {
        /* keep the raw message */
      }
    }
    // logger.exception() appends the traceback of the exception being handled, as Python does.
    const handled = withTraceback ? this.interp.handling[this.interp.handling.length - 1] : undefined;
    if (handled) msg += '\n' + handled.formatTraceback();
    this.interp.hooks.log(level, msg, loc);
  }
}

/** A logging handler or formatter: every record goes to the run log, so handlers only need to accept their configuration. */
export class LogHandler extends HostObject {
  private level: PyValue = 0;
  private formatter: PyValue = null;
  constructor(private readonly type: string) {
    super();
  }
  override get typeName(): string {
    return this.type;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'level':
        return this.level;
      case 'formatter':
        return this.formatter;
      case 'setLevel':
        return fn(name, (a) => ((this.level = a[0] ?? 0), null));
      case 'setFormatter':
        return fn(name, (a) => ((this.formatter = a[0] ?? null), null));
      case 'addFilter':
      case 'removeFilter':
      case 'flush':
      case 'close':
      case 'acquire':
      case 'release':
        return fn(name, () => null);
    }
    return undefined;
  }
  override setAttr(name: string, value: PyValue): boolean {
    if (name === 'level') this.level = value;
    else if (name === 'formatter') this.formatter = value;
    else return false;
    return true;
  }
}

let binopPercent: (interp: Interp, fmt: string, args: PyValue) => string = () => '';
export function setPercentFormatter(f: (interp: Interp, fmt: string, args: PyValue) => string): void {
  binopPercent = f;
}
