// The one function that removes credentials from a database connection string before it is shown,
// logged, stored in a report or sent over LSP: the CLI, the report, the worker and the editor's
// status bar all use it. Every form libpq accepts is covered: the URL's userinfo password (a
// password containing `@` included), `password=` / `sslpassword=` query parameters, and key=value
// connection strings (`host=db password='s3 cret' dbname=app`).

const SECRET_KEYS = /^(password|sslpassword|pgpassword|passwd|pwd)$/i;

/** Remove every password from a connection string (URL or key=value form); the rest is kept as written. */
export function redactUrl(url: string): string {
  const text = String(url);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) return redactKeyValue(text);
  const scheme = text.indexOf('://') + 3;
  const queryAt = text.slice(scheme).search(/[?#]/);
  const end = queryAt < 0 ? text.length : scheme + queryAt;
  // The userinfo ends at the LAST `@` of the authority: a password may contain `@` (and `/`).
  const at = text.lastIndexOf('@', end - 1);
  let out = text;
  if (at >= scheme) {
    const colon = text.indexOf(':', scheme);
    if (colon >= 0 && colon < at) out = `${text.slice(0, colon + 1)}***${text.slice(at)}`;
  }
  return out.replace(/([?&;])([^=&#;]+)=([^&#;]*)/g, (m, sep: string, key: string) => (SECRET_KEYS.test(decodeURIComponentSafe(key)) ? `${sep}${key}=***` : m));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** libpq's key=value form: `password=x`, `password='a b\'c'`. */
function redactKeyValue(text: string): string {
  return text.replace(/(^|\s)([A-Za-z_]+)(\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)/g, (m, lead: string, key: string, eq: string) => (SECRET_KEYS.test(key) ? `${lead}${key}${eq}***` : m));
}
