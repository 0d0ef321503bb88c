// Escaping for the report HTML. Every value from the report passes through one of these: text and
// attribute values through escapeHtml (all attributes are double-quoted), JSON placed inside a
// <script> element through jsonForScript.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for an element's content or a double-quoted attribute value. */
export function escapeHtml(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  return s.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON safe inside <script type="application/json">: `<` `>` `&` and the JS line separators are
 * written as \uXXXX escapes, so `</script>` or `<!--` inside a value can never end the element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Nonces go into the CSP header and attributes unescaped, so only base64/base64url characters are accepted. */
export function checkNonce(nonce: string): string {
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(nonce)) throw new Error('renderReportHtml: the nonce must be at least 16 base64 characters');
  return nonce;
}

/**
 * A webview's cspSource: one or more CSP source expressions separated by spaces (VS Code gives
 * `https://*.vscode-cdn.net`; code-server gives `'self' https://*.vscode-cdn.net`). Nothing that
 * could end the directive (`;`, `,`) or open a new attribute is accepted.
 */
export function checkCspSource(source: string): string {
  if (!/^(?:'self'|[A-Za-z0-9+.*:/_-]+)(?: (?:'self'|[A-Za-z0-9+.*:/_-]+))*$/.test(source)) throw new Error(`renderReportHtml: unexpected cspSource ${JSON.stringify(source)}`);
  return source;
}
