/**
 * argparse: ArgumentParser with add_argument; parse_args() returns the defaults, overridden by an
 * explicit argument list (`--name value`, `--name=value`, flags, positionals). The real argv is
 * never read: without a list, the evaluator's sys.argv has no arguments.
 */
import { ExceptionClass, Kwargs, PyClass, PyList, PyTuple, PyValue, SourceLocation, pyErr } from '../values';
import { Interp, unsupported } from '../runtime';
import { callSync, eq } from '../protocols/equality';
import { repr, str } from '../protocols/text';
import { toArray } from '../protocols/iteration';
import { HostContext, HostObject, hostClass, hostFunction } from '../host';
import { StdlibContext, kwOf, partialModule } from './kit';

interface Arg {
  flags: string[];
  dest: string;
  positional: boolean;
  action: string;
  nargs?: PyValue;
  default: PyValue;
  const: PyValue;
  type?: PyValue;
  choices?: PyValue[];
  required: boolean;
}

class NamespaceObj extends HostObject {
  constructor(
    readonly values: Map<string, PyValue>,
    private readonly interp: Interp,
  ) {
    super();
  }
  override get typeName(): string {
    return 'Namespace';
  }
  override getAttr(name: string): PyValue | undefined {
    return this.values.get(name);
  }
  override setAttr(name: string, value: PyValue): boolean {
    this.values.set(name, value);
    return true;
  }
  override contains(v: PyValue): boolean {
    return typeof v === 'string' && this.values.has(v);
  }
  override equals(other: PyValue): boolean {
    return other instanceof NamespaceObj && other.values.size === this.values.size && [...this.values].every(([k, v]) => other.values.get(k) === v);
  }
  override repr(): string {
    return `Namespace(${[...this.values].map(([k, v]) => `${k}=${repr(this.interp, v)}`).join(', ')})`;
  }
}

export function argparseModule(ctx: StdlibContext) {
  const { interp } = ctx;

  class ParserObj extends HostObject {
    readonly args: Arg[] = [];
    constructor(
      readonly prog: string,
      readonly description: PyValue,
    ) {
      super();
    }
    override get typeName(): string {
      return 'ArgumentParser';
    }
    /** argparse's usage line: [-h], the optionals in order, then the positionals. */
    usage(): string {
      const metavar = (a: Arg) => (a.choices ? `{${a.choices.map((c) => str(interp, c)).join(',')}}` : a.positional ? a.dest : a.dest.toUpperCase());
      const valueOf = (a: Arg) => (a.nargs === '*' ? `[${metavar(a)} ...]` : a.nargs === '+' ? `${metavar(a)} [${metavar(a)} ...]` : a.nargs === '?' && !a.positional ? `[${metavar(a)}]` : metavar(a));
      const flagless = ['store_true', 'store_false', 'store_const', 'count'];
      const optionals = this.args.filter((a) => !a.positional && a.flags.length).map((a) => {
        const body = flagless.includes(a.action) ? a.flags[0] : `${a.flags[0]} ${valueOf(a)}`;
        return a.required ? body : `[${body}]`;
      });
      const positionals = this.args.filter((a) => a.positional).map((a) => (a.nargs === '?' ? `[${metavar(a)}]` : valueOf(a)));
      return `usage: ${[this.prog, '[-h]', ...optionals, ...positionals].join(' ')}`;
    }
    addArgument(a: PyValue[], k: Kwargs, loc: SourceLocation | undefined): PyValue {
      const flags = a.map((x) => str(interp, x));
      const positional = flags.length === 1 && !flags[0].startsWith('-');
      const action = str(interp, kwOf(k, 'action') ?? 'store');
      if (!['store', 'store_true', 'store_false', 'store_const', 'append', 'count', 'help', 'version'].includes(action)) throw unsupported(`add_argument(action=${repr(interp, kwOf(k, "action") ?? null)})`, loc);
      const long = flags.find((f) => f.startsWith('--'));
      const dest = kwOf(k, 'dest') !== undefined ? str(interp, kwOf(k, 'dest')!) : positional ? flags[0] : (long ?? flags[0]).replace(/^-+/, '').replace(/-/g, '_');
      const dflt = kwOf(k, 'default');
      const choices = kwOf(k, 'choices');
      const arg: Arg = {
        flags,
        dest,
        positional,
        action,
        nargs: kwOf(k, 'nargs'),
        default: dflt !== undefined ? dflt : action === 'store_true' ? false : action === 'store_false' ? true : null,
        const: kwOf(k, 'const') ?? null,
        type: kwOf(k, 'type'),
        choices: choices === undefined || choices === null ? undefined : (toArray(interp, choices, loc) as PyValue[]),
        required: positional ? kwOf(k, 'nargs') !== '?' && kwOf(k, 'nargs') !== '*' : interp.truthy(kwOf(k, 'required') ?? false),
      };
      if (action !== 'help' && action !== 'version') this.args.push(arg);
      return null;
    }
    convert(arg: Arg, text: string, loc: SourceLocation | undefined): PyValue {
      let v: PyValue = text;
      if (arg.type !== undefined && arg.type !== null) {
        try {
          v = callSync(interp, arg.type, [text], loc);
        } catch {
          throw this.fail(`argument ${arg.flags.join('/')}: invalid ${str(interp, (arg.type as { name?: string }).name ?? 'value')} value: '${text}'`);
        }
      }
      if (arg.choices && !arg.choices.some((c) => eq(interp, c, v))) throw this.fail(`argument ${arg.flags.join('/')}: invalid choice: ${repr(interp, v)} (choose from ${arg.choices.map((c) => repr(interp, c)).join(', ')})`);
      return v;
    }
    /** argparse's error(): usage and message on stderr, then SystemExit(2). */
    fail(message: string): unknown {
      const text = `${this.usage()}\n${this.prog}: error: ${message}`;
      interp.output += text + '\n';
      interp.hooks.print(text, interp.currentLoc());
      return pyErr('SystemExit', 2);
    }
    parse(list: string[] | undefined, known: boolean, loc: SourceLocation | undefined): PyValue {
      const values = new Map<string, PyValue>();
      for (const arg of this.args) {
        let d = arg.default;
        if (typeof d === 'string' && arg.action === 'store' && arg.type) d = this.convert(arg, d, loc);
        values.set(arg.dest, d);
      }
      const tokens = list ?? [];
      const extra: string[] = [];
      const positionals = this.args.filter((x) => x.positional);
      const seen = new Set<Arg>();
      const many = (arg: Arg) => arg.nargs === '*' || arg.nargs === '+' || typeof arg.nargs === 'number';
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.startsWith('-') && t.length > 1 && !/^-\d/.test(t)) {
          const [flag, inline] = t.includes('=') ? [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] : [t, undefined];
          const arg = this.args.find((x) => !x.positional && x.flags.includes(flag));
          if (!arg) {
            if (known) {
              extra.push(t);
              continue;
            }
            throw this.fail(`unrecognized arguments: ${t}`);
          }
          seen.add(arg);
          switch (arg.action) {
            case 'store_true':
              values.set(arg.dest, true);
              break;
            case 'store_false':
              values.set(arg.dest, false);
              break;
            case 'store_const':
              values.set(arg.dest, arg.const);
              break;
            case 'count':
              values.set(arg.dest, Number(values.get(arg.dest) ?? 0) + 1);
              break;
            default: {
              if (many(arg)) {
                const got: PyValue[] = [];
                if (inline !== undefined) got.push(this.convert(arg, inline, loc));
                while (i + 1 < tokens.length && !tokens[i + 1].startsWith('-')) got.push(this.convert(arg, tokens[++i], loc));
                values.set(arg.dest, new PyList(got));
                break;
              }
              const text = inline ?? tokens[++i];
              if (text === undefined) throw this.fail(`argument ${arg.flags.join('/')}: expected one argument`);
              const v = this.convert(arg, text, loc);
              if (arg.action === 'append') {
                const cur = values.get(arg.dest);
                values.set(arg.dest, new PyList([...(cur instanceof PyList ? cur.items : []), v]));
              } else values.set(arg.dest, v);
            }
          }
        } else {
          const arg = positionals.find((x) => !seen.has(x));
          if (!arg) {
            if (known) {
              extra.push(t);
              continue;
            }
            throw this.fail(`unrecognized arguments: ${t}`);
          }
          seen.add(arg);
          if (many(arg)) {
            const got = [this.convert(arg, t, loc)];
            while (i + 1 < tokens.length && !tokens[i + 1].startsWith('-')) got.push(this.convert(arg, tokens[++i], loc));
            values.set(arg.dest, new PyList(got));
          } else values.set(arg.dest, this.convert(arg, t, loc));
        }
      }
      const missing = this.args.filter((x) => x.required && !seen.has(x));
      if (missing.length) throw this.fail(`the following arguments are required: ${missing.map((x) => (x.positional ? x.dest : x.flags.join('/'))).join(', ')}`);
      const ns = new NamespaceObj(values, interp);
      return known ? new PyTuple([ns, new PyList(extra)]) : ns;
    }
    override getAttr(name: string, hc: HostContext): PyValue | undefined {
      const loc = hc.loc;
      const listOf = (v: PyValue | undefined): string[] | undefined => (v === undefined || v === null ? undefined : (toArray(interp, v, loc) as PyValue[]).map((x) => str(interp, x)));
      switch (name) {
        case 'prog':
          return this.prog;
        case 'description':
          return this.description;
        case 'add_argument':
          return hostFunction(name, (a, k) => this.addArgument(a, k, loc));
        case 'add_argument_group':
        case 'add_mutually_exclusive_group':
          return hostFunction(name, () => new GroupObj(this));
        case 'set_defaults':
          return hostFunction(name, (_a, k) => {
            for (const [key, v] of k) {
              const arg = this.args.find((x) => x.dest === key);
              if (arg) arg.default = v;
              else this.args.push({ flags: [], dest: key, positional: false, action: 'store', default: v, const: null, required: false });
            }
            return null;
          });
        case 'parse_args':
          return hostFunction(name, (a, k) => this.parse(listOf(a[0] ?? kwOf(k, 'args')), false, loc));
        case 'parse_known_args':
          return hostFunction(name, (a, k) => this.parse(listOf(a[0] ?? kwOf(k, 'args')), true, loc));
        case 'format_usage':
          return hostFunction(name, () => this.usage() + '\n');
        case 'print_usage':
        case 'print_help':
          return hostFunction(name, () => {
            const text = this.usage() + (name === 'print_help' && typeof this.description === 'string' ? `\n\n${this.description}` : '');
            interp.output += text + '\n';
            interp.hooks.print(text, interp.currentLoc());
            return null;
          });
        case 'error':
          return hostFunction(name, (a) => {
            throw this.fail(str(interp, a[0]));
          });
      }
      return undefined;
    }
  }

  class GroupObj extends HostObject {
    constructor(private readonly parser: ParserObj) {
      super();
    }
    override get typeName(): string {
      return '_ArgumentGroup';
    }
    override getAttr(name: string, hc: HostContext): PyValue | undefined {
      if (name === 'add_argument') return hostFunction(name, (a, k) => this.parser.addArgument(a, k, hc.loc));
      return undefined;
    }
  }

  const progOf = () => ctx.fileName.split(/[\\/]/).pop() ?? ctx.fileName;
  return partialModule('argparse', {
    ArgumentParser: hostClass('ArgumentParser', (a, k) => new ParserObj(k.get('prog') !== undefined ? str(interp, k.get('prog')!) : progOf(), a[1] ?? k.get('description') ?? null), { module: 'argparse' }),
    Namespace: hostClass('Namespace', (_a, k) => new NamespaceObj(new Map(k), interp), { module: 'argparse' }),
    ArgumentTypeError: new PyClass('ArgumentTypeError', [ExceptionClass], new Map(), undefined, 'ArgumentTypeError', 'argparse'),
    RawDescriptionHelpFormatter: null,
    RawTextHelpFormatter: null,
    ArgumentDefaultsHelpFormatter: null,
    SUPPRESS: '==SUPPRESS==',
  });
}

