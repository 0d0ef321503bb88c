// LSP wiring of the DataFlow language features: hover on DataFlow names, go to definition, find
// references, rename of a model, document and workspace symbols. The features themselves live in
// server/src/language/; this converts offsets to LSP positions and never lets one throw.
import {
  DocumentSymbol, Location, ResponseError, ErrorCodes, SymbolKind, TextEdit, ShowMessageNotification, MessageType,
  type Connection, type Hover, type Range, type ServerCapabilities, type WorkspaceEdit, type WorkspaceSymbol,
} from 'vscode-languageserver';
import type { SourceFile } from '../model/sourceFile';
import type { Span } from '../model/staticExpr';
import type { WorkspaceModel } from '../model/workspaceModel';
import { siteAt } from '../language/siteAt';
import { fieldHover, kwargHover, modelHover, nodeTypeHover } from '../language/hoverContent';
import { addNodeFor, definition, references } from '../language/navigation';
import { RenameRefused, renameModel, renameTarget } from '../language/renameModel';
import { documentSymbols, workspaceSymbols, type OffsetSymbol, type SymbolKindName } from '../language/symbols';
import type { ProfileStore } from '../language/profileStore';

export const LANGUAGE_CAPABILITIES: ServerCapabilities = {
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: { label: 'DataFlow' },
  workspaceSymbolProvider: true,
};

const KIND: Record<SymbolKindName, SymbolKind> = { model: SymbolKind.Class, field: SymbolKind.Field, workflow: SymbolKind.Namespace, node: SymbolKind.Event };

/** Hover text for the DataFlow name at `offset`, with its range; undefined when there is none. */
export function languageHover(workspace: WorkspaceModel, file: SourceFile, offset: number, profiles?: ProfileStore): { value: string; range: Range } | undefined {
  const site = siteAt(workspace, file, offset);
  if (!site) return undefined;
  let value: string | undefined;
  switch (site.kind) {
    case 'nodeType': value = nodeTypeHover(workspace, site, profiles); break;
    case 'model': value = modelHover(workspace, site.name, site.resolution, file.uri, profiles); break;
    case 'field': value = fieldHover(workspace, site); break;
    case 'kwarg': value = kwargHover(site.name); break;
    case 'nodeId': {
      const n = addNodeFor(file, site.connection, site.id);
      if (n) value = `Node \`${site.id}\`${n.nodeType ? ` — \`${n.nodeType}\`` : ''}, added on line ${file.doc.lines.positionAt(n.span.start).line + 1}`;
      break;
    }
  }
  return value ? { value, range: file.doc.lines.range(site.span.start, site.span.end) } : undefined;
}

/** Joins the finding hover and the language hover (findings first). */
export function combineHovers(findings: Hover | null, language: { value: string; range: Range } | undefined): Hover | null {
  if (!language) return findings;
  if (!findings) return { contents: { kind: 'markdown', value: language.value }, range: language.range };
  const f = findings.contents as { value: string };
  return { contents: { kind: 'markdown', value: `${f.value}\n\n---\n\n${language.value}` }, range: findings.range };
}

function toDocumentSymbol(file: SourceFile, s: OffsetSymbol): DocumentSymbol {
  const r = (sp: Span) => file.doc.lines.range(sp.start, sp.end);
  return DocumentSymbol.create(s.name, s.detail, KIND[s.kind], r(s.span), r(s.selection), s.children?.map((c) => toDocumentSymbol(file, c)));
}

export function registerLanguageFeatures(connection: Connection, workspace: WorkspaceModel, warn: (m: string) => void): void {
  const fileOf = (uri: string) => workspace.get(uri);
  const loc = (uri: string, span: Span): Location | undefined => {
    const f = fileOf(uri);
    return f ? Location.create(uri, f.doc.lines.range(span.start, span.end)) : undefined;
  };
  const guard = <T>(what: string, fallback: T, fn: () => T): T => {
    try { return fn(); } catch (err) {
      if (err instanceof ResponseError) throw err;
      warn(`${what} failed: ${(err as Error).stack ?? err}`);
      return fallback;
    }
  };

  connection.onDefinition((p) => guard('definition', null, () => {
    const file = fileOf(p.textDocument.uri);
    if (!file) return null;
    const site = siteAt(workspace, file, file.doc.lines.offsetAt(p.position));
    if (!site) return null;
    const out = definition(workspace, file, site).map((l) => loc(l.uri, l.span)).filter((l): l is Location => !!l);
    return out.length ? out : null;
  }));

  connection.onReferences((p) => guard('references', [] as Location[], () => {
    const file = fileOf(p.textDocument.uri);
    if (!file) return [];
    const site = siteAt(workspace, file, file.doc.lines.offsetAt(p.position));
    if (!site) return [];
    return references(workspace, site, p.context.includeDeclaration).map((u) => loc(u.uri, u.span)).filter((l): l is Location => !!l);
  }));

  connection.onPrepareRename((p) => guard('prepareRename', null, () => {
    const file = fileOf(p.textDocument.uri);
    if (!file) return null;
    try {
      const target = renameTarget(workspace, siteAt(workspace, file, file.doc.lines.offsetAt(p.position)));
      return target ? { range: file.doc.lines.range(target.span.start, target.span.end), placeholder: target.placeholder } : null;
    } catch (err) {
      if (err instanceof RenameRefused) throw new ResponseError(ErrorCodes.InvalidRequest, err.message);
      throw err;
    }
  }));

  connection.onRenameRequest((p) => guard('rename', null as WorkspaceEdit | null, () => {
    const file = fileOf(p.textDocument.uri);
    if (!file) return null;
    try {
      const target = renameTarget(workspace, siteAt(workspace, file, file.doc.lines.offsetAt(p.position)));
      if (!target) return null;
      const { byUri, tableChange } = renameModel(workspace, target, p.newName);
      // The data does not follow a derived table name: say so when the edit is made.
      if (tableChange) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: tableChange.warning });
      const changes: Record<string, TextEdit[]> = {};
      for (const [uri, edits] of byUri) {
        const f = fileOf(uri);
        if (f) changes[uri] = edits.map((e) => TextEdit.replace(f.doc.lines.range(e.span.start, e.span.end), e.newText));
      }
      return { changes };
    } catch (err) {
      if (err instanceof RenameRefused) throw new ResponseError(ErrorCodes.InvalidRequest, err.message);
      throw err;
    }
  }));

  connection.onDocumentSymbol((p) => guard('documentSymbol', [] as DocumentSymbol[], () => {
    const file = fileOf(p.textDocument.uri);
    return file ? documentSymbols(workspace, file).map((s) => toDocumentSymbol(file, s)) : [];
  }));

  connection.onWorkspaceSymbol((p) => guard('workspaceSymbol', [] as WorkspaceSymbol[], () => {
    const out: WorkspaceSymbol[] = [];
    for (const h of workspaceSymbols(workspace, p.query)) {
      const l = loc(h.uri, h.span);
      if (l) out.push({ name: h.name, kind: KIND[h.kind], location: l, containerName: h.container });
    }
    return out;
  }));
}
