// A LintShard on a worker thread (node:worker_threads). The thread runs this same module (the
// dataflow-lint bundle, or its compiled file under out/): when loaded on a worker started by
// ShardWorker it answers requests, one at a time, with its shard.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { initPython } from '../../syntax/parser';
import { LintShard, type AnalyseRequest, type Extracted, type ShareFile } from './shard';
import { FileTexts, type FileTextsData } from './fileTexts';
import type { Reported } from '../formatters';

const FLAG = 'dataflowLintShard';

type Request = { type: 'extract'; texts: FileTextsData; files: ShareFile[]; holdChars: number } | { type: 'analyse'; request: AnalyseRequest };
type Reply = { result: unknown } | { error: string };

export class ShardWorker {
  private readonly worker: Worker;
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor() {
    this.worker = new Worker(__filename, { workerData: { [FLAG]: true } });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending;
      this.pending = undefined;
      if ('error' in m) p?.reject(new Error(`lint worker: ${m.error}`));
      else p?.resolve(m.result);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.pending?.reject(err);
      this.pending = undefined;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`lint worker exited (code ${code})`)));
  }

  /** Step 1 of the thread's share (once per worker): `texts` is shared with the thread, not copied. */
  extract(texts: FileTexts, files: ShareFile[], holdChars: number): Promise<Extracted[]> {
    return this.request({ type: 'extract', texts: texts.data(), files, holdChars }) as Promise<Extracted[]>;
  }

  analyse(request: AnalyseRequest): Promise<Array<{ uri: string; reported: Reported[] }>> {
    return this.request({ type: 'analyse', request }) as Promise<Array<{ uri: string; reported: Reported[] }>>;
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private request(r: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('lint worker: one request at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(r);
    });
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[FLAG]) {
  let shard: LintShard | undefined;
  const ready = initPython();
  const handle = async (r: Request): Promise<void> => {
    try {
      await ready;
      let result: unknown;
      if (r.type === 'extract') {
        shard = new LintShard(FileTexts.of(r.texts));
        result = shard.extract(r.files, true, r.holdChars);
      } else {
        if (!shard) throw new Error('analyse before extract');
        result = shard.analyse(r.request);
      }
      parentPort!.postMessage({ result } satisfies Reply);
    } catch (err) {
      parentPort!.postMessage({ error: String((err as Error)?.stack ?? err) } satisfies Reply);
    }
  };
  // handle never rejects: every failure is posted back as the reply's error.
  parentPort!.on('message', (r: Request) => { void handle(r); });
}
