// The command line of the CLIs as tokens (node:util parseArgs): flags declared once, `--flag=value`,
// `--flag value`, `-h` and `--` read by Node. Not strict, so each CLI checks values in argv order
// and words its own messages (an unknown option, a flag without its value).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export type Token =
  | { kind: 'option'; name: string; value: string | undefined; inline: boolean; index: number; flag: string; known: boolean }
  | { kind: 'positional'; value: string; index: number }
  | { kind: 'end'; index: number };

/**
 * The tokens of `args`. `flag` is the option as typed, without an inline value (`--format` of
 * `--format=json`; a group of short options, `-xyz`, whole); `known` is false for an option the
 * config does not declare and for a group of short options (none is declared).
 */
export function tokensOf(args: string[], options: OptionsConfig): Token[] {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const out: Token[] = [];
  let lastGroup = -1;
  for (const t of tokens) {
    if (t.kind === 'positional') { out.push({ kind: 'positional', value: t.value, index: t.index }); continue; }
    if (t.kind === 'option-terminator') { out.push({ kind: 'end', index: t.index }); continue; }
    const typed = args[t.index];
    const group = !typed.startsWith('--') && typed.length > 2;
    if (group) {
      // parseArgs splits `-xyz` into -x -y -z (same index): one unknown option, as typed.
      if (t.index === lastGroup) continue;
      lastGroup = t.index;
    }
    const flag = group ? typed : t.rawName;
    out.push({ kind: 'option', name: t.name, value: t.value, inline: !!t.inlineValue, index: t.index, flag, known: !group && Object.hasOwn(options, t.name) });
  }
  return out;
}

/** The value of a flag that takes one. */
export function valueOf(t: Extract<Token, { kind: 'option' }>): string {
  if (t.value === undefined) throw new UsageError(`${t.flag} needs a value`);
  return t.value;
}

/** A whole number ≥ 1, for flags like --pool-min and --jobs. */
export function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number, not "${v}"`);
  return n;
}
