// Run arguments remembered per entry point (file and function) in the workspace's state: the text
// typed for each parameter, offered again as the prompt's value on the next run, and the entry
// points run last offered first. Pure logic over a vscode.Memento-like store (no vscode import).

export interface ArgumentMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'dataflow.runArguments';
const MAX_ENTRIES = 200;

interface Remembered { key: string; texts: Record<string, string> }

function entryKey(uri: string, entry: string): string { return `${uri}#${entry}`; }

function all(state: ArgumentMemento): Remembered[] {
  const v = state.get<Remembered[]>(KEY);
  return Array.isArray(v) ? v : [];
}

/** The texts last typed for this entry point's parameters (empty when it never ran). */
export function lastArguments(state: ArgumentMemento, uri: string, entry: string): Record<string, string> {
  return { ...(all(state).find((r) => r.key === entryKey(uri, entry))?.texts ?? {}) };
}

/** Records a run's argument texts; the entry point becomes the most recent. */
export async function rememberArguments(state: ArgumentMemento, uri: string, entry: string, texts: Record<string, string>): Promise<void> {
  const key = entryKey(uri, entry);
  const rest = all(state).filter((r) => r.key !== key);
  await state.update(KEY, [{ key, texts: { ...texts } }, ...rest].slice(0, MAX_ENTRIES));
}

/** The entry names of `uri`, most recently run first, then the others in their order. */
export function recentFirst<T extends { name: string }>(state: ArgumentMemento, uri: string, entries: T[]): T[] {
  const order = all(state).map((r) => r.key);
  const rank = (e: T) => { const i = order.indexOf(entryKey(uri, e.name)); return i < 0 ? Number.MAX_SAFE_INTEGER : i; };
  return entries.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map((x) => x.e);
}

/** A value given by a script (a code lens, a test) as the text a prompt would have held (JSON reads back as the same value). */
export function argumentText(value: unknown): string {
  return JSON.stringify(value) ?? 'None';
}
