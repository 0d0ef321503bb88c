/** Compiles def, lambda and class statements (parameters, decorators, class bodies). */
import type { Node } from 'web-tree-sitter';
import { ClassAnnotation, DecoratorInfo, ParamInfo, ParamSpec, PyFunction, PyValue, PythonSyntaxError, SourceLocation } from '../values';
import { Frame } from '../runtime';
import { ComprehensionCompiler } from './comprehensions';
import { Scope } from './scope';
import { type Ex, type CompiledCode, type St, importHooks } from './types';
import { named, field, isAsync } from './treeNodes';
import { then, evalList, applyDecorators, noop } from './steps';
import { decodeEscapes } from './stringEscapes';

export abstract class FunctionCompiler extends ComprehensionCompiler {
  decorators(decos: Node[], scope: Scope): { ex: Ex; info: DecoratorInfo }[] {
    return decos.map((d) => {
      const e = named(d)[0];
      return { ex: this.expr(e, scope), info: { source: this.text(e), loc: this.loc(d) } };
    });
  }

  /** Builds the FunctionCode for def/lambda and returns it with default-value expressions. */
  functionCode(name: string, paramsNode: Node | null, bodyNode: Node, scope: Scope, isLambda: boolean, asyncDef: boolean, n: Node) {
    const qual = scope.kind === 'module' ? name : scope.kind === 'class' ? `${scope.qualname}.${name}` : `${scope.qualname}.<locals>.${name}`;
    const fscope = new Scope('function', scope, qual);
    const positional: string[] = [];
    const kwOnly: string[] = [];
    let vararg: string | undefined;
    let kwarg: string | undefined;
    let posOnlyCount = 0;
    let sawStar = false;
    const defaults: Ex[] = [];
    const kwDefaults: { name: string; ex: Ex }[] = [];
    const info: ParamInfo[] = [];
    let firstDefaultSeen = false;
    const params = paramsNode ? named(paramsNode) : [];
    for (const p of params) {
      switch (p.type) {
        case 'identifier':
        case 'typed_parameter': {
          if (p.type === 'typed_parameter') {
            const inner = named(p)[0];
            if (inner.type === 'list_splat_pattern') {
              vararg = named(inner)[0].text;
              sawStar = true;
              info.push({ name: vararg, kind: 'varargs', hasDefault: false, annotation: field(p, 'type')?.text });
              break;
            }
            if (inner.type === 'dictionary_splat_pattern') {
              kwarg = named(inner)[0].text;
              info.push({ name: kwarg, kind: 'varkw', hasDefault: false, annotation: field(p, 'type')?.text });
              break;
            }
          }
          const nm = p.type === 'identifier' ? p.text : named(p)[0].text;
          const ann = p.type === 'typed_parameter' ? field(p, 'type')?.text : undefined;
          if (sawStar) {
            kwOnly.push(nm);
            info.push({ name: nm, kind: 'keyword-only', hasDefault: false, annotation: ann });
          } else {
            if (firstDefaultSeen) throw new PythonSyntaxError(this.loc(p), 'non-default argument follows default argument');
            positional.push(nm);
            info.push({ name: nm, kind: 'positional', hasDefault: false, annotation: ann });
          }
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const nm = field(p, 'name')!.text;
          const ex = this.expr(field(p, 'value')!, scope);
          const ann = p.type === 'typed_default_parameter' ? field(p, 'type')?.text : undefined;
          if (sawStar) {
            kwOnly.push(nm);
            kwDefaults.push({ name: nm, ex });
            info.push({ name: nm, kind: 'keyword-only', hasDefault: true, annotation: ann });
          } else {
            positional.push(nm);
            defaults.push(ex);
            firstDefaultSeen = true;
            info.push({ name: nm, kind: 'positional', hasDefault: true, annotation: ann });
          }
          break;
        }
        case 'list_splat_pattern':
          vararg = named(p)[0].text;
          sawStar = true;
          info.push({ name: vararg, kind: 'varargs', hasDefault: false });
          break;
        case 'dictionary_splat_pattern':
          kwarg = named(p)[0].text;
          info.push({ name: kwarg, kind: 'varkw', hasDefault: false });
          break;
        case 'keyword_separator':
          sawStar = true;
          break;
        case 'positional_separator':
          posOnlyCount = positional.length;
          for (const i of info) if (i.kind === 'positional') i.kind = 'positional-only';
          break;
        case 'tuple_pattern':
          throw this.unsupportedNow('tuple parameter unpacking', p);
        default:
          throw this.unsupportedNow(`parameter '${p.type}'`, p);
      }
    }
    const names = [...positional];
    const varargSlot = vararg !== undefined ? names.push(vararg) - 1 : -1;
    const kwOnlyStart = names.length;
    names.push(...kwOnly);
    const kwargSlot = kwarg !== undefined ? names.push(kwarg) - 1 : -1;
    for (const nm of names) fscope.slot(nm);
    const byName = new Map<string, number>();
    names.forEach((nm, i) => {
      if (i >= posOnlyCount && i !== varargSlot && i !== kwargSlot) byName.set(nm, i);
    });
    const spec: ParamSpec = {
      names,
      posCount: positional.length,
      posOnlyCount,
      varargSlot,
      kwOnlyStart,
      kwOnlyCount: kwOnly.length,
      kwargSlot,
      byName,
      defaultCount: defaults.length,
      kwOnlyWithDefault: new Set(kwDefaults.map((k) => k.name)),
    };
    const code: CompiledCode = {
      name,
      qualname: qual,
      file: this.file,
      loc: this.loc(n),
      params: spec,
      nslots: 0,
      isAsync: asyncDef,
      isLambda,
      yieldLoc: undefined,
      paramInfo: info,
      doc: isLambda ? null : docstring(bodyNode),
    };
    if (isLambda) {
      this.collect([bodyNode], fscope);
      code.expr = this.expr(bodyNode, fscope);
    } else {
      const stmts = named(bodyNode);
      this.collect(stmts, fscope);
      code.body = this.stmts(stmts, fscope);
    }
    code.yieldLoc = fscope.yieldLoc;
    code.nslots = fscope.locals.size;
    return { code, defaults, kwDefaults };
  }

  funcDef(n: Node, scope: Scope, decos: Node[], loc: SourceLocation): St {
    const name = field(n, 'name')!.text;
    const { code, defaults, kwDefaults } = this.functionCode(name, field(n, 'parameters'), field(n, 'body')!, scope, false, isAsync(n), n);
    const store = this.nameStore(name, scope);
    const decorators = this.decorators(decos, scope);
    const makeFn = (f: Frame, dflts: PyValue[], kwd: PyValue[]): PyFunction => {
      const kw = new Map<string, PyValue>();
      kwDefaults.forEach((k, i) => kw.set(k.name, kwd[i]));
      const module = String(f.globals.get('__name__') ?? '__main__');
      return new PyFunction(code, f.env, f.globals, dflts, kw, module);
    };
    return (f) => {
      f.stmt = loc;
      const r = then(evalList(f, decorators.map((d) => d.ex)), (decoVals) =>
        then(evalList(f, defaults), (dv) =>
          then(evalList(f, kwDefaults.map((k) => k.ex)), (kv) => {
            let fn: PyValue = makeFn(f, dv, kv);
            return then(applyDecorators(f, decoVals, fn, decorators.map((d) => d.info.loc)), (v) => {
              fn = v;
              return store(f, fn);
            });
          }),
        ),
      );
      return r instanceof Promise ? r.then(noop) : undefined;
    };
  }

  classDef(n: Node, scope: Scope, decos: Node[], loc: SourceLocation): St {
    const name = field(n, 'name')!.text;
    const qual = scope.kind === 'module' ? name : scope.kind === 'class' ? `${scope.qualname}.${name}` : `${scope.qualname}.<locals>.${name}`;
    if (field(n, 'type_parameters')) return this.unsupportedSt('generic class type parameters', n);
    const baseExs: Ex[] = [];
    const kwExs: { name: string; ex: Ex; node: Node }[] = [];
    const sup = field(n, 'superclasses');
    if (sup) {
      for (const a of named(sup)) {
        if (a.type === 'keyword_argument') {
          const kn = field(a, 'name')!.text;
          if (kn === 'metaclass') return this.unsupportedSt('metaclass', a);
          kwExs.push({ name: kn, ex: this.expr(field(a, 'value')!, scope), node: a });
        } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') return this.unsupportedSt('star arguments in class bases', a);
        else baseExs.push(this.expr(a, scope));
      }
    }
    const cscope = new Scope('class', scope, qual);
    const bodyStmts = named(field(n, 'body')!);
    // class scope: collect assigned names (for nothing but declarations; class ns is a Map)
    this.collect(bodyStmts, cscope);
    const body = this.stmts(bodyStmts, cscope);
    const store = this.nameStore(name, scope);
    const decorators = this.decorators(decos, scope);
    const classLoc = this.loc(n);
    return (f) => {
      f.stmt = loc;
      const interp = f.interp;
      const r = then(evalList(f, decorators.map((d) => d.ex)), (decoVals) =>
        then(evalList(f, baseExs), (bases) =>
          then(evalList(f, kwExs.map((k) => k.ex)), (kwVals) => {
            const ns = new Map<string, PyValue>();
            const module = String(f.globals.get('__name__') ?? '__main__');
            ns.set('__module__', module);
            ns.set('__qualname__', qual);
            const cf = new Frame(interp, f.globals, f.env, f.fn, ns, qual, f.file, loc) as Frame & { annotations?: ClassAnnotation[] };
            cf.annotations = [];
            const finish = (): unknown => {
              const kwargs = new Map<string, PyValue>();
              kwExs.forEach((k, i) => kwargs.set(k.name, kwVals[i]));
              return then(
                importHooks.createClass(interp, {
                  name,
                  qualname: qual,
                  module,
                  bases,
                  kwargs,
                  ns,
                  annotations: cf.annotations!,
                  decorators: decorators.map((d) => d.info),
                  loc: classLoc,
                }),
                (cls) => then(applyDecorators(f, decoVals, cls, decorators.map((d) => d.info.loc)), (v) => store(f, v)),
              );
            };
            const b = body(cf);
            if (b instanceof Promise) return b.then(finish);
            return finish();
          }),
        ),
      );
      return r instanceof Promise ? r.then(noop) : undefined;
    };
  }

  override lambda(n: Node, scope: Scope): Ex {
    const { code, defaults, kwDefaults } = this.functionCode('<lambda>', field(n, 'parameters'), field(n, 'body')!, scope, true, false, n);
    return (f) =>
      then(evalList(f, defaults), (dv) =>
        then(evalList(f, kwDefaults.map((k) => k.ex)), (kv) => {
          const kw = new Map<string, PyValue>();
          kwDefaults.forEach((k, i) => kw.set(k.name, kv[i]));
          return new PyFunction(code, f.env, f.globals, dv, kw, String(f.globals.get('__name__') ?? '__main__'));
        }),
      );
  }
}

/** A def's docstring (its __doc__): the body's first statement when it is a plain string literal, as written (CPython 3.11 keeps the indentation). */
export function docstring(body: Node): string | null {
  const first = named(body)[0];
  if (!first || first.type !== 'expression_statement' || first.namedChildCount !== 1) return null;
  const lit = first.namedChild(0)!;
  const strings = lit.type === 'concatenated_string' ? named(lit).filter((k) => k.type === 'string') : lit.type === 'string' ? [lit] : [];
  if (!strings.length) return null;
  let text = '';
  for (const s of strings) {
    const kids = s.children.filter((k): k is Node => !!k);
    const prefix = (kids.find((k) => k.type === 'string_start')?.text ?? '').replace(/['"]/g, '').toLowerCase();
    if (/[fbt]/.test(prefix)) return null;
    for (const k of kids) if (k.type === 'string_content' || k.type === 'escape_sequence') text += prefix.includes('r') ? k.text : decodeEscapes(k.text, false);
  }
  return text;
}
