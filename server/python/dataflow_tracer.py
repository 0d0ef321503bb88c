"""DataFlow Performance's tracer: runs one file of the user's project in the project's own Python
and streams what the REAL DataFlow does as JSON lines to the extension.

    python dataflow_tracer.py --file F [--entry E] [--root R] [--args JSON]

Environment (never argv, so no password shows in a process list):
    DATAFLOW_TRACE_DB_URL  every DataFlow(...) of the run is pointed at this database
    DATAFLOW_TRACE_FD      the file descriptor the events go to (default: stderr lines prefixed
                           with "\\x1eDFTRACE ")

Events (one JSON object per line, key "t"): hello, instance, model, run_start, node_start,
node_end, sql, run_end, done. The file's prints go to stdout unchanged; logging goes to stderr.
Exit status: 0 the entry returned; 1 it raised; 3 kailash-dataflow is not importable; 2 bad
arguments or no such entry point.
"""
import argparse
import ast
import asyncio
import base64
import contextvars
import datetime
import decimal
import functools
import importlib
import importlib.util
import json
import os
import runpy
import sys
import threading
import time
import traceback
import uuid

TRACER_FILE = os.path.abspath(__file__)
MAX_PARAMS = 200
MAX_SQL = 100_000

# ---------------------------------------------------------------------------- the event channel

_lock = threading.Lock()
_out = None


def _open_channel():
    global _out
    fd = os.environ.get("DATAFLOW_TRACE_FD")
    if fd:
        _out = os.fdopen(int(fd), "w", buffering=1, encoding="utf-8", closefd=False)
    else:
        _out = None


def emit(event):
    line = json.dumps(event, default=_json_default, ensure_ascii=False)
    with _lock:
        if _out is not None:
            _out.write(line + "\n")
        else:
            sys.__stderr__.write("\x1eDFTRACE " + line + "\n")
            sys.__stderr__.flush()


def _json_default(v):
    return to_json(v)


def to_json(v, depth=0):
    """A JSON-safe copy (the same conventions as the oracle's run_real.py)."""
    if depth > 50:
        return repr(v)
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if v == v and v not in (float("inf"), float("-inf")) else repr(v)
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "base64:" + base64.b64encode(bytes(v)).decode()
    if isinstance(v, dict):
        return {str(k): to_json(x, depth + 1) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_json(x, depth + 1) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted((to_json(x, depth + 1) for x in v), key=repr)
    if hasattr(v, "keys") and hasattr(v, "__getitem__"):  # asyncpg Record
        try:
            return {str(k): to_json(v[k], depth + 1) for k in v.keys()}
        except Exception:
            pass
    return repr(v)


def now_ms():
    return time.time() * 1000.0


# ---------------------------------------------------------------------------- where in the user's code

ROOT = None
_ast_cache = {}
_site_hits = {}


def is_user_file(filename):
    if not filename or filename.startswith("<"):
        return False
    f = os.path.abspath(filename)
    if f == TRACER_FILE or "site-packages" in f or "dist-packages" in f:
        return False
    return ROOT is not None and (f == ROOT or f.startswith(ROOT + os.sep))


def _loop_nodes(filename):
    if filename in _ast_cache:
        return _ast_cache[filename]
    loops = []
    try:
        with open(filename, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), filename)
        for n in ast.walk(tree):
            if isinstance(n, (ast.For, ast.AsyncFor)):
                loops.append(("for", n.lineno, n.end_lineno or n.lineno))
            elif isinstance(n, ast.While):
                loops.append(("while", n.lineno, n.end_lineno or n.lineno))
            elif isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                loops.append(("comprehension", n.lineno, n.end_lineno or n.lineno))
    except Exception:
        pass
    loops.sort(key=lambda x: (x[1], -x[2]))
    _ast_cache[filename] = loops
    return loops


def location_of(frame, count=True):
    """file, line, function and the loops around the line (outermost first) of a user frame."""
    filename = os.path.abspath(frame.f_code.co_filename)
    line = frame.f_lineno
    loc = {"file": filename, "line": line}
    fn = frame.f_code.co_name
    if fn != "<module>":
        loc["function"] = fn
    loops = [l for l in _loop_nodes(filename) if l[1] <= line <= l[2] and not (l[0] != "comprehension" and l[1] == line)]
    if loops:
        key = (filename, line)
        hit = _site_hits.get(key, 0)
        if count:
            _site_hits[key] = hit + 1
        loc["loops"] = [{"kind": k, "line": ln, "iteration": hit} for (k, ln, _e) in loops]
    return loc


def user_frame():
    f = sys._getframe(1)
    while f is not None:
        if is_user_file(f.f_code.co_filename):
            return f
        f = f.f_back
    return None


def user_location(count=False):
    f = user_frame()
    return location_of(f, count) if f is not None else None


# ---------------------------------------------------------------------------- runs, nodes, statements

_run = contextvars.ContextVar("dataflow_trace_run", default=None)
_node = contextvars.ContextVar("dataflow_trace_node", default=None)
_in_sql = contextvars.ContextVar("dataflow_trace_in_sql", default=False)
_fallback = {"run": None, "node": None}  # for runtimes that run workflows in other threads
_run_count = [0]
_builder_locs = {}  # id(builder) -> {node_id: {type, location}}
_workflow_locs = {}  # id(workflow) -> same


def current_run():
    r = _run.get()
    return r if r is not None else _fallback["run"]


def current_node():
    n = _node.get()
    return n if n is not None else _fallback["node"]


def _statement(sql, params, method, t0, ms, rows, error, conn):
    try:
        run = current_run()
        node = current_node()
        ev = {"t": "sql", "sql": str(sql)[:MAX_SQL], "method": method, "ts": t0, "ms": ms, "conn": conn}
        if params is not None:
            ev["params"] = [to_json(p) for p in list(params)[:MAX_PARAMS]]
            ev["paramCount"] = len(params)
        if rows is not None:
            ev["rows"] = rows
        if error is not None:
            ev["error"] = f"{type(error).__name__}: {error}"
        if run is not None:
            ev["run"] = run["index"]
        if node is not None and (run is None or node["run"] == run["index"]):
            ev["node"] = node["id"]
        loc = user_location()
        if loc:
            ev["file"], ev["line"] = loc["file"], loc["line"]
        emit(ev)
    except Exception:
        pass


def _rows_of(result):
    if isinstance(result, list):
        return len(result)
    if result is None:
        return 0
    if isinstance(result, str):  # asyncpg status: "INSERT 0 3", "UPDATE 2", "SELECT 5"
        parts = result.split()
        if parts and parts[-1].isdigit():
            return int(parts[-1])
        return 0
    return 1


def _wrap_async_sql(cls, name, params_of, method=None):
    orig = cls.__dict__.get(name)
    if orig is None or getattr(orig, "_df_traced", False):
        return

    @functools.wraps(orig)
    async def wrapper(self, *a, **kw):
        if _in_sql.get():
            return await orig(self, *a, **kw)
        token = _in_sql.set(True)
        t0 = now_ms()
        p0 = time.perf_counter()
        result = err = None
        try:
            result = await orig(self, *a, **kw)
            return result
        except BaseException as e:
            err = e
            raise
        finally:
            _in_sql.reset(token)
            sql, params = params_of(self, a, kw)
            _statement(sql, params, method or name, t0, (time.perf_counter() - p0) * 1000.0, None if err else _rows_of(result), err, id(_conn_of(self)))

    wrapper._df_traced = True
    setattr(cls, name, wrapper)


def _conn_of(obj):
    return getattr(obj, "_connection", obj)


def install_asyncpg():
    try:
        import asyncpg.connection as apc
        import asyncpg.prepared_stmt as aps
    except Exception:
        return
    C = apc.Connection

    def q_args(self, a, kw):
        sql = a[0] if a else kw.get("query")
        return sql, list(a[1:])

    def many(self, a, kw):
        sql = a[0] if a else kw.get("command")
        rows = a[1] if len(a) > 1 else kw.get("args")
        try:
            rows = list(rows)
        except Exception:
            rows = []
        return sql, (list(rows[0]) if rows else [])

    for name in ("execute", "fetch", "fetchrow", "fetchval", "fetchmany"):
        _wrap_async_sql(C, name, q_args)
    _wrap_async_sql(C, "executemany", many)

    if os.environ.get("DATAFLOW_TRACE_EMBEDDED") == "1":
        # The embedded database's socket server does not close a connection on Terminate and
        # asyncpg's close() waits for that: close the socket from this side instead.
        async def close(self, *, timeout=None):
            self.terminate()

        C.close = close

    P = aps.PreparedStatement

    def stmt_args(self, a, kw):
        return getattr(self, "_query", None), list(a)

    def stmt_many(self, a, kw):
        rows = a[0] if a else kw.get("args")
        try:
            rows = list(rows)
        except Exception:
            rows = []
        return getattr(self, "_query", None), (list(rows[0]) if rows else [])

    for name in ("fetch", "fetchrow", "fetchval", "fetchmany"):
        _wrap_async_sql(P, name, stmt_args, "prepared." + name)
    _wrap_async_sql(P, "executemany", stmt_many, "prepared.executemany")


def _pyformat_to_dollar(sql, params):
    """psycopg2's %s / %(name)s placeholders as $n (the statement as PostgreSQL would prepare it)."""
    if not isinstance(sql, str) or params is None:
        return sql, params
    out, values, i, names = [], [], 0, {}
    while i < len(sql):
        c = sql[i]
        if c == "%" and i + 1 < len(sql):
            n = sql[i + 1]
            if n == "%":
                out.append("%")
                i += 2
                continue
            if n == "s" and isinstance(params, (list, tuple)):
                values.append(params[len(values)] if len(values) < len(params) else None)
                out.append(f"${len(values)}")
                i += 2
                continue
            if n == "(" and isinstance(params, dict):
                j = sql.find(")s", i)
                if j > 0:
                    key = sql[i + 2 : j]
                    if key not in names:
                        values.append(params.get(key))
                        names[key] = len(values)
                    out.append(f"${names[key]}")
                    i = j + 2
                    continue
        out.append(c)
        i += 1
    return "".join(out), values


def install_psycopg2():
    try:
        import psycopg2
        import psycopg2.extensions as ext
    except Exception:
        return

    def _sql_text(cursor, query):
        q = query.as_string(cursor) if hasattr(query, "as_string") else query
        return q.decode("utf-8", "replace") if isinstance(q, bytes) else q

    class TracedMixin:
        def _traced(self, how, call, query, first_vars):
            """Runs `call`, then reports the statement with its $n parameters, time and rows."""
            t0 = now_ms()
            p0 = time.perf_counter()
            err = None
            try:
                return call()
            except BaseException as e:
                err = e
                raise
            finally:
                sql, params = _pyformat_to_dollar(_sql_text(self, query), first_vars)
                rows = None if err else max(self.rowcount, 0)
                _statement(sql, params or [], how, t0, (time.perf_counter() - p0) * 1000.0, rows, err, id(self.connection))

        def execute(self, query, vars=None):
            return self._traced("psycopg2.execute", lambda: super(TracedMixin, self).execute(query, vars), query, vars)

        def executemany(self, query, vars_list):
            vars_list = list(vars_list)
            return self._traced("psycopg2.executemany", lambda: super(TracedMixin, self).executemany(query, vars_list), query, vars_list[0] if vars_list else None)

    traced = {}

    def traced_cursor(factory):
        factory = factory or ext.cursor
        if factory not in traced:
            traced[factory] = type("Traced" + factory.__name__, (TracedMixin, factory), {})
        return traced[factory]

    class TracedConnection(ext.connection):
        def cursor(self, *a, **kw):
            if a:  # cursor(name, cursor_factory, ...)
                a = list(a)
                if len(a) > 1:
                    a[1] = traced_cursor(a[1])
                    return super().cursor(*a, **kw)
            kw["cursor_factory"] = traced_cursor(kw.get("cursor_factory") or self.cursor_factory)
            return super().cursor(*a, **kw)

    orig_connect = psycopg2.connect

    @functools.wraps(orig_connect)
    def connect(dsn=None, connection_factory=None, cursor_factory=None, **kw):
        if connection_factory is None:
            connection_factory = TracedConnection
        return orig_connect(dsn, connection_factory=connection_factory, cursor_factory=cursor_factory, **kw)

    psycopg2.connect = connect


def install_nodes():
    from kailash.nodes.base import Node

    classes = [Node]
    try:
        from kailash.nodes.base_async import AsyncNode

        classes.append(AsyncNode)
    except Exception:
        pass
    try:
        from kailash.nodes.base import AsyncTypedNode, TypedNode

        classes += [TypedNode, AsyncTypedNode]
    except Exception:
        pass

    def begin(node):
        run = current_run()
        if run is None or current_node() is not None:
            return None
        nid = run.get("ids", {}).get(id(node)) or getattr(node, "id", None) or type(node).__name__
        info = run["nodes"].get(nid, {})
        rec = {"run": run["index"], "id": nid, "type": info.get("type") or type(node).__name__, "t0": now_ms(), "p0": time.perf_counter()}
        emit({"t": "node_start", "run": rec["run"], "node": nid, "type": rec["type"], "ts": rec["t0"]})
        _fallback["node"] = rec
        return _node.set(rec), rec

    def end(state, err, result):
        token, rec = state
        _node.reset(token)
        if _fallback["node"] is rec:
            _fallback["node"] = None
        ev = {"t": "node_end", "run": rec["run"], "node": rec["id"], "type": rec["type"], "ts": rec["t0"], "ms": (time.perf_counter() - rec["p0"]) * 1000.0}
        if err is not None:
            ev["error"] = str(err)
            ev["errorType"] = type(err).__name__
        emit(ev)

    for cls in classes:
        orig = cls.__dict__.get("execute")
        if orig is not None and not getattr(orig, "_df_traced", False):

            def make_sync(orig):
                @functools.wraps(orig)
                def execute(self, *a, **kw):
                    state = begin(self)
                    if state is None:
                        return orig(self, *a, **kw)
                    err = result = None
                    try:
                        result = orig(self, *a, **kw)
                        return result
                    except BaseException as e:
                        err = e
                        raise
                    finally:
                        end(state, err, result)

                execute._df_traced = True
                return execute

            setattr(cls, "execute", make_sync(orig))
        orig = cls.__dict__.get("execute_async")
        if orig is not None and not getattr(orig, "_df_traced", False):

            def make_async(orig):
                @functools.wraps(orig)
                async def execute_async(self, *a, **kw):
                    state = begin(self)
                    if state is None:
                        return await orig(self, *a, **kw)
                    err = result = None
                    try:
                        result = await orig(self, *a, **kw)
                        return result
                    except BaseException as e:
                        err = e
                        raise
                    finally:
                        end(state, err, result)

                execute_async._df_traced = True
                return execute_async

            setattr(cls, "execute_async", make_async(orig))


def install_builder():
    from kailash.workflow.builder import WorkflowBuilder

    orig_add = WorkflowBuilder.add_node
    orig_build = WorkflowBuilder.build

    @functools.wraps(orig_add)
    def add_node(self, *a, **kw):
        nid = orig_add(self, *a, **kw)
        try:
            node_type = a[0] if a and isinstance(a[0], str) else kw.get("node_type")
            if not isinstance(node_type, str):
                node_type = getattr(node_type, "__name__", None) or type(a[0]).__name__ if a else None
            f = user_frame()
            _builder_locs.setdefault(id(self), {})[nid] = {"type": node_type, "location": location_of(f) if f is not None else None}
        except Exception:
            pass
        return nid

    @functools.wraps(orig_build)
    def build(self, *a, **kw):
        wf = orig_build(self, *a, **kw)
        try:
            _workflow_locs[id(wf)] = (wf, dict(_builder_locs.get(id(self), {})))
        except Exception:
            pass
        return wf

    WorkflowBuilder.add_node = add_node
    WorkflowBuilder.build = build


def _nested():
    """True inside an outermost execute: in this task's context, or (a runtime that runs the
    workflow in a worker thread, like DataFlow's own registry workflows) in another thread."""
    if _run.get() is not None:
        return True
    other = _fallback["run"]
    return other is not None and other["thread"] != threading.get_ident()


def _run_begin(workflow):
    index = _run_count[0]
    _run_count[0] += 1
    held = _workflow_locs.get(id(workflow))
    nodes = held[1] if held is not None and held[0] is workflow else {}
    # Node instances by identity: a core node (PythonCodeNode, SwitchNode) has no `id` attribute of
    # its own; the workflow knows which node id each instance stands for.
    ids = {}
    try:
        for nid, inst in (getattr(workflow, "_node_instances", None) or {}).items():
            ids[id(inst)] = nid
    except Exception:
        pass
    rec = {"index": index, "nodes": nodes, "ids": ids, "thread": threading.get_ident()}
    ev = {"t": "run_start", "run": index, "ts": now_ms(), "nodes": {k: v for k, v in nodes.items()}}
    wid = getattr(workflow, "workflow_id", None) or getattr(workflow, "id", None)
    if isinstance(wid, str):
        ev["workflowId"] = wid
    f = user_frame()
    if f is not None:
        ev["location"] = location_of(f)
    emit_models()
    emit(ev)
    _fallback["run"] = rec
    return _run.set(rec), rec


def _run_finish(state, res=None, exc=None):
    token, rec = state
    _run.reset(token)
    if _fallback["run"] is rec:
        _fallback["run"] = None
    ev = {"t": "run_end", "run": rec["index"], "ts": now_ms()}
    if exc is not None:
        ev["error"] = {"type": type(exc).__name__, "message": str(exc)}
        node = getattr(exc, "node_id", None)
        if isinstance(node, str):
            ev["error"]["node"] = node
    else:
        results = res[0] if isinstance(res, tuple) else res
        ev["results"] = to_json(results)
        if isinstance(res, tuple) and len(res) > 1 and isinstance(res[1], str):
            ev["runId"] = res[1]
    emit(ev)
    emit_models()


def install_runtimes():
    from kailash.runtime.local import LocalRuntime

    classes = [LocalRuntime]
    try:
        from kailash.runtime.async_local import AsyncLocalRuntime

        classes.append(AsyncLocalRuntime)
    except Exception:
        pass

    def workflow_of(a, kw):
        return a[0] if a else kw.get("workflow")

    def wrap_sync(cls, name):
        orig = cls.__dict__.get(name)
        if orig is None:
            return

        @functools.wraps(orig)
        def wrapper(self, *a, **kw):
            if _nested():
                return orig(self, *a, **kw)
            state = _run_begin(workflow_of(a, kw))
            try:
                res = orig(self, *a, **kw)
            except BaseException as e:
                _run_finish(state, exc=e)
                raise
            _run_finish(state, res)
            return res

        setattr(cls, name, wrapper)

    def wrap_async(cls, name):
        orig = cls.__dict__.get(name)
        if orig is None:
            return

        @functools.wraps(orig)
        async def wrapper(self, *a, **kw):
            if _nested():
                return await orig(self, *a, **kw)
            state = _run_begin(workflow_of(a, kw))
            try:
                res = await orig(self, *a, **kw)
            except BaseException as e:
                _run_finish(state, exc=e)
                raise
            _run_finish(state, res)
            return res

        setattr(cls, name, wrapper)

    for cls in classes:
        wrap_sync(cls, "execute")
        wrap_async(cls, "execute_async")
    if len(classes) > 1:
        wrap_async(classes[1], "execute_workflow_async")


# ---------------------------------------------------------------------------- DataFlow instances and models

_instances = []
_models_sent = set()


def _type_name(t):
    import typing

    origin = typing.get_origin(t)
    args = typing.get_args(t)
    optional = False
    if origin is typing.Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        rest = [x for x in args if x is not type(None)]
        optional = len(rest) < len(args)
        if len(rest) == 1:
            t = rest[0]
            origin = typing.get_origin(t)
    base = origin or t
    name = getattr(base, "__name__", str(base))
    known = {"str": "str", "int": "int", "float": "float", "bool": "bool", "datetime": "datetime", "date": "date", "Decimal": "Decimal", "dict": "dict", "Dict": "dict", "list": "list", "List": "list", "bytes": "bytes"}
    return known.get(name, "other"), optional, repr(t) if not isinstance(t, type) else t.__name__


def emit_models():
    for i, db in enumerate(_instances):
        models = getattr(db, "_models", None) or {}
        for name, info in list(models.items()):
            key = (i, name)
            if key in _models_sent:
                continue
            _models_sent.add(key)
            fields = []
            for fname, f in (info.get("fields") or {}).items():
                tname, optional, ann = _type_name(f.get("type"))
                fd = {"name": fname, "type": tname, "optional": optional, "annotation": ann}
                if "default" in f:
                    d = f["default"]
                    if d is None or isinstance(d, (bool, int, float, str)):
                        fd["default"] = d
                    else:
                        fd["defaultRepr"] = repr(d)
                fields.append(fd)
            cfg = info.get("config") if isinstance(info.get("config"), dict) else {}
            emit({"t": "model", "instance": i, "name": name, "table": info.get("table_name"), "fields": fields, "config": to_json(cfg), "appendOnly": bool(info.get("append_only"))})


def install_dataflow(db_url):
    from dataflow import DataFlow

    orig_init = DataFlow.__init__

    @functools.wraps(orig_init)
    def patched_init(self, database_url=None, *a, **kw):
        if "database_url" in kw:
            database_url = kw.pop("database_url")
        if db_url:
            database_url = db_url
        orig_init(self, database_url, *a, **kw)
        index = len(_instances)
        _instances.append(self)
        ev = {"t": "instance", "instance": index}
        loc = user_location()
        if loc:
            ev["location"] = loc
        settings = {}
        for k in ("pool_size", "pool_max_overflow", "slow_query_threshold", "auto_migrate", "cache_enabled", "existing_schema_mode"):
            if k in kw:
                settings[k] = to_json(kw[k])
        ev["settings"] = settings
        emit(ev)

    DataFlow.__init__ = patched_init


# ---------------------------------------------------------------------------- running the file


def module_name_for(path, root):
    rel = os.path.relpath(path, root)
    if rel.startswith(".."):
        return None
    parts = rel[:-3].split(os.sep) if rel.endswith(".py") else None
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    # only a dotted name whose packages all exist (regular or namespace) as folders under root
    return ".".join(parts)


def load_module(path, root):
    name = module_name_for(path, root)
    if name and name != "__main__":
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name and name.startswith(e.name):
                pass  # the file is not importable under that name: load it by path
            else:
                raise
    name = "dataflow_trace_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def describe_exception(e):
    tb = traceback.extract_tb(e.__traceback__)
    out = {"type": type(e).__name__, "message": str(e), "traceback": "".join(traceback.format_exception(type(e), e, e.__traceback__))[-20000:]}
    for fr in reversed(tb):
        if is_user_file(fr.filename):
            out["file"], out["line"] = os.path.abspath(fr.filename), fr.lineno
            break
    return out


def main():
    global ROOT
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--entry")
    ap.add_argument("--root")
    ap.add_argument("--args", default="{}")
    ap.add_argument("--argv", default="[]", help="JSON list: the file's sys.argv[1:]")
    ap.add_argument("--probe", action="store_true", help="print dataflow's version and exit")
    o = ap.parse_args()
    _open_channel()
    try:
        import dataflow
        import kailash
    except Exception as e:
        emit({"t": "done", "ok": False, "missing": True, "error": {"type": type(e).__name__, "message": str(e)}})
        sys.stderr.write(f"kailash-dataflow is not importable: {e}\n")
        os._exit(3)
    emit({"t": "hello", "python": sys.version.split()[0], "executable": sys.executable, "dataflow": getattr(dataflow, "__version__", "?"), "kailash": getattr(kailash, "__version__", "?"), "pid": os.getpid()})
    file = os.path.abspath(o.file)
    ROOT = os.path.realpath(os.path.abspath(o.root or os.path.dirname(file)))
    file = os.path.realpath(file)
    os.chdir(ROOT)
    for p in (os.path.dirname(file), ROOT):
        if p in sys.path:
            sys.path.remove(p)
        sys.path.insert(0, p)
    try:
        kwargs = json.loads(o.args)
    except ValueError as e:
        emit({"t": "done", "ok": False, "error": {"type": "ValueError", "message": f"--args is not JSON: {e}"}})
        os._exit(2)

    try:
        sys.argv = [file] + [str(a) for a in json.loads(o.argv)]
    except ValueError as e:
        emit({"t": "done", "ok": False, "error": {"type": "ValueError", "message": f"--argv is not JSON: {e}"}})
        os._exit(2)

    install_dataflow(os.environ.get("DATAFLOW_TRACE_DB_URL"))
    install_asyncpg()
    install_psycopg2()
    install_nodes()
    install_builder()
    install_runtimes()

    code, ret, err = 0, None, None
    try:
        if o.entry == "__main__":
            runpy.run_path(file, run_name="__main__")
        else:
            mod = load_module(file, ROOT)
            if o.entry:
                target = mod
                for part in o.entry.split("."):
                    if not hasattr(target, part):
                        emit_models()
                        emit({"t": "done", "ok": False, "badEntry": True, "error": {"type": "EntryPointError", "message": f"{o.entry!r} is not defined in {os.path.basename(file)}"}})
                        os._exit(2)
                    target = getattr(target, part)
                ret = target(**kwargs)
                if asyncio.iscoroutine(ret):
                    ret = asyncio.run(ret)
    except SystemExit as e:
        if e.code not in (None, 0):
            err = {"type": "SystemExit", "message": str(e.code)}
            code = 1
    except BaseException as e:  # the user's code raised: report it like Python would
        err = describe_exception(e)
        code = 1
    emit_models()
    done = {"t": "done", "ok": err is None, "return": to_json(ret)}
    if err:
        done["error"] = err
    emit(done)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        if _out is not None:
            _out.flush()
    except Exception:
        pass
    os._exit(code)  # DataFlow leaves pool monitors and threads behind: do not wait for them


if __name__ == "__main__":
    main()
