// A port of the oracle's normalise.py (../shared/oracle/normalise.py), so the embedded runtime's
// output is normalised exactly as the recordings were: timestamps ranked, the query cache's time
// and database hash removed, exceptions and error texts cut to their prefix. `loose` as --loose.

const TS_KEYS = new Set(['created_at', 'updated_at', 'deleted_at']);
const KEY_RE = /^(dataflow:query:[^:]+):([0-9a-f]{6,}|<db>):(v\d+):([0-9a-f]{8,}|<hash>)$/;
/** Python's datetime.isoformat() of a naive TIMESTAMP: what DataFlow returns. */
const PY_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** (0, canonical) for an ISO-8601 text Python's fromisoformat accepts, else (1, text). */
function when(s: string): [0 | 1, string] {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return [1, s];
  const frac = (m[5] ?? '').padEnd(6, '0');
  const canonical = m[2] ? `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${frac && frac !== '000000' ? '.' + frac : ''}` : `${m[1]}T00:00:00`;
  return [0, canonical];
}

function stamps(v: Json, acc: Set<string>, loose: boolean): Set<string> {
  if (Array.isArray(v)) for (const x of v) stamps(x, acc, loose);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (TS_KEYS.has(k) && typeof x === 'string' && (PY_ISO.test(x) || (loose && when(x)[0] === 0))) acc.add(x);
      stamps(x, acc, loose);
    }
  }
  return acc;
}

function short(msg: Json): Json {
  if (typeof msg !== 'string' || msg.endsWith(' ...') || msg.startsWith('<')) return msg;
  const head = msg.split(':', 1)[0];
  return head !== msg ? `${head} ...` : msg;
}

export function normalise(doc: unknown, loose = false): unknown {
  const root = doc as Json;
  const sorted = [...stamps(root, new Set(), loose)].sort((a, b) => {
    const [ka, ca] = when(a);
    const [kb, cb] = when(b);
    return ka !== kb ? ka - kb : ca < cb ? -1 : ca > cb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const ranks = new Map(sorted.map((s, i) => [s, i + 1]));
  const fn = (k: string, v: Json, parent: { [k: string]: Json }): Json => {
    if (TS_KEYS.has(k) && typeof v === 'string') {
      if (ranks.has(v)) return loose ? '<ts>' : `<ts:${ranks.get(v)}>`;
      if (loose && v.startsWith('<ts')) return '<ts>';
      return v;
    }
    if (k === 'timestamp' && 'hit' in parent && 'source' in parent) return '<ts>';
    if (k === 'key' && typeof v === 'string' && 'source' in parent) {
      const m = KEY_RE.exec(v);
      return m ? `${m[1]}:<db>:${m[3]}:${loose ? '<hash>' : m[4]}` : v;
    }
    if (k === '_exception') return '<exception>';
    if (k === 'error' && typeof v === 'string' && parent.failed === true) return loose ? '<text>' : short(v);
    if (k === 'message' && 'type' in parent && Object.keys(parent).length === 2) return loose ? '<text>' : short(v);
    return v;
  };
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v)) out[k] = fn(k, walk(x), v);
      return out;
    }
    return v;
  };
  return walk(root);
}

/** DataFlow's transaction ids (`tx_` + 12 random hex digits): each distinct one becomes `<tx:N>`, N by first appearance. */
const TX_ID = /^tx_[0-9a-f]{12}$/;

/**
 * Numbers the random transaction ids of a document (the oracle's normalise.py predates DataFlow's
 * transaction nodes; the recorder applies this after it, the test after normalise()).
 */
export function numberTransactionIds(doc: unknown): unknown {
  const seen = new Map<string, string>();
  const walk = (v: Json): Json => {
    if (typeof v === 'string' && TX_ID.test(v)) {
      if (!seen.has(v)) seen.set(v, `<tx:${seen.size + 1}>`);
      return seen.get(v)!;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc as Json);
}
