// DF035 runtime-per-request: `LocalRuntime()` / `AsyncLocalRuntime()` constructed inside a web
// request handler (a function decorated with a route decorator: FastAPI/Starlette `@app.get`,
// `@router.post`, Flask `@app.route`, Nexus `@app.handler` / `@app.endpoint`, ...) or inside a
// loop: a new runtime per request / per iteration.
// What that does (kailash 2.63, `KS/runtime/local.py`; reference §1.6): a LocalRuntime creates its
// own persistent event loop on first execute, and DataFlow caches its SQL node — and with it the
// connection pool — per event loop, so each new runtime opens new database connections instead of
// reusing the pool. A runtime used without `with` or close() also registers an atexit cleanup
// that keeps it (and its loop) alive until the process exits. No numbers are claimed.
// AsyncLocalRuntime runs on the caller's loop, so only the construction is reported for it.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { finding, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF035',
  name: 'runtime-per-request',
  defaultSeverity: 'information',
  summary: 'LocalRuntime()/AsyncLocalRuntime() created per request (in a route handler) or per loop iteration',
  fix: 'none',
});

const ROUTE = /^[A-Za-z_][\w.]*\.(get|post|put|patch|delete|head|options|route|api_route|websocket|handler|endpoint)\s*\(/;

/** `@mock.patch(...)`, `@patch.object(...)`, `@responses.get(...)`: test doubles, not routes. */
const NOT_ROUTES = /^(mock|unittest\.mock|patch|mocker|responses|respx|requests_mock|httpretty|aioresponses)\./;

export function isRouteDecorator(text: string): boolean { return ROUTE.test(text) && !NOT_ROUTES.test(text); }

export const runtimePerRequestRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const rt of ctx.facts.runtimes) {
      const route = rt.functionDecorators.find(isRouteDecorator);
      const loop = rt.loops.length > 0;
      if (!route && !loop) continue;
      const where = route ? `inside the request handler ${rt.functionName ?? ''} (@${route.replace(/\(.*$/s, '(...)')}): a new runtime for every request` : 'inside a loop: a new runtime for every iteration';
      // In a running event loop (async def) LocalRuntime.execute() does not use the runtime's own
      // loop, so the per-loop pool argument does not apply there.
      const what = rt.className !== 'LocalRuntime'
        ? 'AsyncLocalRuntime is meant to be created once and reused.'
        : rt.inAsyncFunction
          ? 'Inside a running event loop LocalRuntime.execute() runs the workflow on a worker thread and waits for it, holding up the handler\'s event loop; AsyncLocalRuntime (await runtime.execute_workflow_async(...)) is the runtime for async code.'
          : `Each LocalRuntime runs workflows on its own event loop, and DataFlow keeps its SQL node and connection pool per event loop, so every new runtime opens new database connections instead of reusing them${rt.contextManaged ? '' : '; without `with` or close() each one also stays registered for atexit cleanup until the process exits'}.`;
      const instead = route ? 'Create one runtime at module level or at application startup and reuse it in the handler.' : 'Create the runtime once before the loop and reuse it.';
      out.push(finding(SPEC, severity, rt.span, `${rt.className}() is created ${where.replace('  ', ' ')}. ${what} ${instead}`));
    }
    return out;
  },
};
