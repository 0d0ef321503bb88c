// A Python file the analysis knows: its parsed document and its extracted facts.
import { PythonDocument, type TextChange } from '../python/pythonDocument';
import { FileFacts } from './fileFacts';
import { Resolver } from './resolve';

/** Cheap pre-check: files that never mention DataFlow things are indexed with empty facts. */
export function mentionsDataFlow(text: string): boolean {
  return /dataflow|DataFlow|add_node|WorkflowBuilder|\.express|Node["']/.test(text);
}

export class SourceFile {
  private facts_: FileFacts;
  private resolver_: Resolver | undefined;
  private constructor(readonly doc: PythonDocument, public relevant: boolean) {
    this.facts_ = relevant ? FileFacts.build(doc) : FileFacts.empty(doc.uri);
  }

  static create(uri: string, text: string, version = 0): SourceFile {
    const relevant = mentionsDataFlow(text);
    return new SourceFile(PythonDocument.create(uri, text, version), relevant);
  }

  get uri(): string { return this.doc.uri; }
  get text(): string { return this.doc.text; }
  get version(): number { return this.doc.version; }
  get facts(): FileFacts { return this.facts_; }
  get resolver(): Resolver {
    if (!this.resolver_) this.resolver_ = new Resolver(this.facts_);
    return this.resolver_;
  }

  /** Applies editor changes: incremental parse, then re-extraction of the touched statements only. */
  applyChanges(changes: readonly TextChange[], version: number): void {
    const edits = this.doc.applyChanges(changes, version);
    const nowRelevant = mentionsDataFlow(this.doc.text);
    if (nowRelevant && this.relevant) this.facts_ = this.facts_.update(this.doc, edits);
    else if (nowRelevant) this.facts_ = FileFacts.build(this.doc);
    else this.facts_ = FileFacts.empty(this.doc.uri);
    this.relevant = nowRelevant;
    this.resolver_ = undefined;
  }

  dispose(): void { this.doc.dispose(); }
}
