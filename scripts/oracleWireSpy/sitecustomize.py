# Loaded by Python at start-up when this folder is on PYTHONPATH (scripts/record-dataflow.mjs puts it
# there for the oracle): prints every statement asyncpg sends to PostgreSQL, after kailash's
# placeholder rewriting (the text PostgreSQL receives, byte for byte), one JSON line on stderr each:
#   WIRE {"sql": ..., "params": [repr, ...], "error": null | "Type: message"}
# Only when DATAFLOW_WIRE_SQL=1; anything else in the process is left as it is.
import json
import os
import sys

if os.environ.get("DATAFLOW_WIRE_SQL") == "1":
    try:
        import asyncpg.connection as _conn

        def _show(query, args, error):
            rec = {"sql": str(query), "params": [repr(a) for a in args], "error": error}
            print("WIRE", json.dumps(rec), file=sys.stderr, flush=True)

        def _spy(orig, with_args):
            async def wrapper(self, query, *rest, **kw):
                args = (rest[0] if rest else ()) if with_args else rest
                try:
                    result = await orig(self, query, *rest, **kw)
                except BaseException as e:
                    if with_args or not args:
                        _show(query, args, f"{type(e).__name__}: {e}")
                    raise
                if with_args or not args:
                    _show(query, args, None)
                return result

            return wrapper

        # _execute(query, args, ...) carries every statement with parameters (fetch, fetchrow,
        # fetchval, execute with args); execute(query) without args uses the simple protocol.
        _conn.Connection._execute = _spy(_conn.Connection._execute, True)
        _conn.Connection.execute = _spy(_conn.Connection.execute, False)
    except Exception as e:  # the spy must never stop a recording
        print("wire spy not installed:", e, file=sys.stderr)
