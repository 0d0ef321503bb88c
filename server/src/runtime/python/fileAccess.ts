/**
 * What the evaluated code may touch on disk: reads inside the project root (and the run's scratch
 * folder), writes only inside the run's scratch folder, which is created on first use and removed
 * when the run ends. Relative paths resolve against the project root (the run's working directory).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function inside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

export class FileAccess {
  readonly root: string;
  private scratchDir: string | undefined;
  private disposed = false;
  private readonly readOnly: string[] = [];
  constructor(root: string, private readonly scratchParent: string = os.tmpdir()) {
    this.root = path.resolve(root);
  }
  /** Lets the code read (never write) a folder outside the project root: a library whose own source the run evaluates reads its data files. */
  allowReading(dir: string): void {
    this.readOnly.push(path.resolve(dir));
  }
  /** The run's scratch folder (created on first use). */
  scratch(): string {
    if (this.disposed) throw new Error('the run is over: its scratch folder is gone');
    if (!this.scratchDir) this.scratchDir = fs.mkdtempSync(path.join(this.scratchParent, 'dataflow-run-scratch-'));
    return this.scratchDir;
  }
  /** Whether the scratch folder exists (it is only created when the code asks for one). */
  get scratchCreated(): string | undefined {
    return this.scratchDir;
  }
  /** The absolute form of `p` (relative to the project root). */
  resolve(p: string): string {
    return path.resolve(this.root, p);
  }
  canRead(p: string): boolean {
    const a = this.resolve(p);
    return inside(a, this.root) || (this.scratchDir !== undefined && inside(a, this.scratchDir)) || this.readOnly.some((d) => inside(a, d));
  }
  canWrite(p: string): boolean {
    const a = this.resolve(p);
    return this.scratchDir !== undefined && inside(a, this.scratchDir) && a !== this.scratchDir;
  }
  /** Removes the scratch folder and everything the run wrote. */
  dispose(): void {
    this.disposed = true;
    if (this.scratchDir) fs.rmSync(this.scratchDir, { recursive: true, force: true });
  }
}
