/** Scopes: how a name resolves at compile time (local slot, enclosing function, class body, global). */
import { SourceLocation } from '../values';

type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export class Scope {
  readonly locals = new Map<string, number>();
  readonly globalDecl = new Set<string>();
  readonly nonlocalDecl = new Set<string>();
  /** Functions only: where `yield` appears. */
  yieldLoc: SourceLocation | undefined;
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
    readonly qualname: string,
  ) {}
  slot(name: string): number {
    let s = this.locals.get(name);
    if (s === undefined) {
      s = this.locals.size;
      this.locals.set(name, s);
    }
    return s;
  }
}

export type Resolved = { kind: 'global' } | { kind: 'local'; depth: number; slot: number } | { kind: 'class'; fallback: Resolved };

function resolveFree(s: Scope | null, name: string, depth: number): Resolved {
  while (s) {
    if (s.kind === 'class') {
      s = s.parent;
      continue;
    }
    if (s.kind === 'module') return { kind: 'global' };
    if (s.globalDecl.has(name)) return { kind: 'global' };
    if (!s.nonlocalDecl.has(name)) {
      const slot = s.locals.get(name);
      if (slot !== undefined) return { kind: 'local', depth, slot };
    }
    s = s.parent;
    depth++;
  }
  return { kind: 'global' };
}

export function resolve(scope: Scope, name: string): Resolved {
  if (scope.kind === 'module') return { kind: 'global' };
  if (scope.kind === 'class') {
    if (scope.globalDecl.has(name)) return { kind: 'global' };
    return { kind: 'class', fallback: resolveFree(scope.parent, name, 0) };
  }
  if (scope.globalDecl.has(name)) return { kind: 'global' };
  if (!scope.nonlocalDecl.has(name)) {
    const slot = scope.locals.get(name);
    if (slot !== undefined) return { kind: 'local', depth: 0, slot };
  }
  return resolveFree(scope.parent, name, 1);
}
