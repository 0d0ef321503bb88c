/** Python string and bytes escape sequences. */

const SIMPLE_ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

export function decodeEscapes(s: string, bytes: boolean): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\' || i === s.length - 1) {
      out += ch;
      continue;
    }
    const nx = s[i + 1];
    if (nx in SIMPLE_ESC) {
      out += SIMPLE_ESC[nx];
      i++;
      continue;
    }
    if (nx === '\r') {
      i += s[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (/[0-7]/.test(nx)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1))!;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
      continue;
    }
    if (nx === 'x') {
      const h = s.slice(i + 2, i + 4);
      if (/^[0-9a-fA-F]{2}$/.test(h)) {
        out += String.fromCharCode(parseInt(h, 16));
        i += 3;
        continue;
      }
    }
    if (!bytes && (nx === 'u' || nx === 'U')) {
      const len = nx === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + len);
      if (new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) {
        out += String.fromCodePoint(parseInt(h, 16));
        i += 1 + len;
        continue;
      }
    }
    out += ch;
  }
  return out;
}
