// The Python files dataflow-lint reads, as read from disk (UTF-8 bytes), in one SharedArrayBuffer:
// every thread sees the same memory without a copy (posting it to a worker shares it), and each
// decodes only the texts it uses — its own share of the files, and the few files of other shares
// that a finding's fix edits. A file's text is `fs.readFileSync(path, 'utf8')` of the bytes read.
import * as fs from 'node:fs';

/** What a worker is sent: the shared bytes and where each file's lie. */
export interface FileTextsData { bytes: SharedArrayBuffer; starts: number[]; ends: number[] }

export class FileTexts {
  private constructor(private readonly shared: FileTextsData) {}

  /** Files read (or not) in order: reading stops at nothing, a file that cannot be read says why. */
  static read(paths: readonly string[]): { texts: FileTexts; errors: Array<string | undefined> } {
    const read: Array<Buffer | undefined> = [];
    const errors: Array<string | undefined> = [];
    let total = 0;
    for (const p of paths) {
      // One synchronous read per file: a promise per small file cost more than the read.
      try { const b = fs.readFileSync(p); read.push(b); errors.push(undefined); total += b.length; } catch (err) { read.push(undefined); errors.push((err as Error).message); }
    }
    const bytes = new SharedArrayBuffer(total);
    const view = new Uint8Array(bytes);
    const starts: number[] = [], ends: number[] = [];
    let at = 0;
    for (const b of read) {
      starts.push(at);
      if (b) { view.set(b, at); at += b.length; }
      ends.push(at);
    }
    return { texts: new FileTexts({ bytes, starts, ends }), errors };
  }

  /** The texts a worker was sent (`data()` of the reading thread). */
  static of(data: FileTextsData): FileTexts { return new FileTexts(data); }

  data(): FileTextsData { return this.shared; }

  get count(): number { return this.shared.starts.length; }

  /** File `i`'s text (decoded now: keep it only as long as it is needed). */
  text(i: number): string {
    return this.buffer(i).toString('utf8');
  }

  /**
   * File `i` with each byte as one character: equal to its text on ASCII, and a non-ASCII
   * character is non-ASCII characters there too, so a test for ASCII words gives the same answer
   * on both (mentionsDataFlow) without decoding UTF-8.
   */
  bytesAsText(i: number): string {
    return this.buffer(i).toString('latin1');
  }

  /** File `i`'s size in bytes. */
  size(i: number): number { return this.shared.ends[i] - this.shared.starts[i]; }

  private buffer(i: number): Buffer {
    return Buffer.from(this.shared.bytes, this.shared.starts[i], this.shared.ends[i] - this.shared.starts[i]);
  }
}
