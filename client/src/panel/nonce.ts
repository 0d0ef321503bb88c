import { randomBytes } from 'node:crypto';

/** A fresh CSP nonce per render: 128 random bits, base64. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}
