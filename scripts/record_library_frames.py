"""Records, with the REAL kailash 2.63 / DataFlow 2.20, the traceback frames below the user's call for
each raise site the embedded runtime models in TypeScript, and prints them as JSON.

Run by scripts/record-library-frames.mjs (which writes server/src/runtime/libraryFrames/
recordedFrames.generated.ts), with the oracle's venv and source (see ../shared/oracle):
  ORACLE_PG_URL=postgresql://... PYTHONPATH=$SRC/src:$SRC/packages/kailash-dataflow/src \
    $VENV/bin/python record_library_frames.py

Each scenario is a small function of this file that makes the failing call the way user code does;
`traceback.extract_tb(e.__traceback__)` gives the chain from the catching frame inward. The frames of
this file and those above them (the user's side) are dropped; every frame after them is library code, recorded as its
file relative to its package root (kailash/..., dataflow/...) or to the standard library
(asyncio/...), its line, its function name and qualified name (co_qualname). A scenario runs twice where kailash takes another
path inside a running event loop (LocalRuntime.execute then runs the workflow in a thread).
"""
import asyncio
import json
import logging
import os
import sys
import sysconfig
import traceback
import warnings

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

import dataflow  # noqa: E402
import kailash  # noqa: E402
from dataflow import DataFlow  # noqa: E402
from kailash.runtime.async_local import AsyncLocalRuntime  # noqa: E402
from kailash.runtime.local import LocalRuntime  # noqa: E402
from kailash.workflow.builder import WorkflowBuilder  # noqa: E402

PG_URL = os.environ.get("ORACLE_PG_URL")
if not PG_URL:
    sys.exit("ORACLE_PG_URL is not set (a throwaway PostgreSQL database)")

ROOTS = [
    ("kailash", os.path.dirname(os.path.dirname(os.path.abspath(kailash.__file__)))),
    ("dataflow", os.path.dirname(os.path.dirname(os.path.abspath(dataflow.__file__)))),
    ("stdlib", os.path.abspath(sysconfig.get_paths()["stdlib"])),
]
HERE = os.path.abspath(__file__)


def library_frame(filename):
    """(root, path relative to it) of a library file."""
    f = os.path.abspath(filename)
    for root, base in ROOTS:
        rel = os.path.relpath(f, base)
        if rel.startswith(".."):
            continue
        if root != "stdlib" and not rel.startswith(root + os.sep):
            continue
        return root, rel.replace(os.sep, "/")
    raise SystemExit(f"frame outside kailash, dataflow and the standard library: {filename}")


def record(fn):
    """Calls fn; returns (exception, library frames below this file's frames)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every scenario must raise
        frames = traceback.extract_tb(e.__traceback__)
        qualnames = []
        tb = e.__traceback__
        while tb is not None:
            qualnames.append(tb.tb_frame.f_code.co_qualname)
            tb = tb.tb_next
        # The user's call is the innermost frame of this file (a scenario may go through asyncio.run first).
        i = max(j for j, fs in enumerate(frames) if os.path.abspath(fs.filename) == HERE) + 1
        if i == len(frames):
            raise SystemExit(f"{fn.__name__}: raised {type(e).__name__} in this file, not in library code")
        out = []
        for fs, qualname in list(zip(frames, qualnames))[i:]:
            root, rel = library_frame(fs.filename)
            out.append({"root": root, "file": rel, "line": fs.lineno, "function": fs.name, "qualname": qualname})
        return e, out
    raise SystemExit(f"{fn.__name__}: did not raise")


db = DataFlow(PG_URL)


@db.model
class FrameUser:
    id: str
    name: str


def failing_workflow():
    """A CreateNode whose INSERT fails (no id for a str primary key): a content-aware failure."""
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "create", {"name": "Alice"})
    return wf.build()


def cyclic_workflow():
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "a", {"id": "1", "name": "a"})
    wf.add_node("FrameUserCreateNode", "b", {"id": "2", "name": "b"})
    wf.add_connection("a", "id", "b", "name")
    wf.add_connection("b", "id", "a", "name")
    return wf.build()


def execute_failing():
    LocalRuntime().execute(failing_workflow())


def execute_missing_input():
    """A CreateNode without a required field (FrameUser.name): graph validation refuses it."""
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "create", {"id": "1"})
    LocalRuntime().execute(wf.build())


def execute_cyclic():
    LocalRuntime().execute(cyclic_workflow())


def add_node_duplicate():
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "a", {})
    wf.add_node("FrameUserCreateNode", "a", {})


def connection_source_missing():
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "a", {})
    wf.add_connection("missing", "out", "a", "name")


def connection_target_missing():
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "a", {})
    wf.add_connection("a", "id", "missing", "name")


def connection_to_itself():
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "a", {})
    wf.add_connection("a", "id", "a", "name")


def connection_duplicate():
    wf = WorkflowBuilder()
    wf.add_node("FrameUserCreateNode", "a", {})
    wf.add_node("FrameUserCreateNode", "b", {})
    wf.add_connection("a", "id", "b", "name")
    wf.add_connection("a", "id", "b", "name")


def build_node_fails():
    wf = WorkflowBuilder()
    wf.add_node("NoSuchNode", "a", {})
    wf.build()


def _await_failing(build):
    """Awaits AsyncLocalRuntime.execute_workflow_async of the workflow `build` makes, from a coroutine."""

    async def inner():
        await AsyncLocalRuntime().execute_workflow_async(build(), inputs={})

    return asyncio.run(inner())


def _code_fails():
    wf = WorkflowBuilder()
    wf.add_node("PythonCodeNode", "code", {"code": "result = 1 / 0"})
    return wf


def async_sync_workflow_fails():
    """Only sync nodes (a PythonCodeNode that raises)."""
    _await_failing(lambda: _code_fails().build())


def async_mixed_sync_node_fails():
    """A DataFlow node (async) beside a PythonCodeNode (sync) that raises."""

    def build():
        wf = _code_fails()
        wf.add_node("FrameUserCreateNode", "create", {"id": "m1", "name": "m"})
        return wf.build()

    _await_failing(build)


def async_mixed_async_node_fails():
    """A PythonCodeNode (sync) feeding a dict to a str field of a DataFlow node (async), which raises."""

    def build():
        wf = WorkflowBuilder()
        wf.add_node("PythonCodeNode", "code", {"code": "result = {'k': 1}"})
        wf.add_node("FrameUserCreateNode", "create", {"id": "m2"})
        wf.add_connection("code", "result", "create", "name")
        return wf.build()

    _await_failing(build)


def async_fully_async_node_fails():
    """DataFlow nodes only: a ListNode's records (a list) fed to a str field of a CreateNode, which raises."""

    def build():
        wf = WorkflowBuilder()
        wf.add_node("FrameUserListNode", "users", {})
        wf.add_node("FrameUserCreateNode", "create", {"id": "m3"})
        wf.add_connection("users", "records", "create", "name")
        return wf.build()

    _await_failing(build)


def async_execute_in_loop():
    AsyncLocalRuntime().execute(failing_workflow())


# key: (scenario, runs inside a running event loop, the runtime's raise site it stands for)
SCENARIOS = [
    (execute_failing, False, "LocalRuntime.execute: RuntimeExecutionError"),
    (execute_failing, True, "LocalRuntime.execute [running event loop]: RuntimeExecutionError"),
    (execute_missing_input, False, "LocalRuntime.execute: WorkflowValidationError missing required inputs"),
    (execute_missing_input, True, "LocalRuntime.execute [running event loop]: WorkflowValidationError missing required inputs"),
    (execute_cyclic, False, "LocalRuntime.execute: WorkflowValidationError unmarked cycle"),
    (execute_cyclic, True, "LocalRuntime.execute [running event loop]: WorkflowValidationError unmarked cycle"),
    (add_node_duplicate, False, "WorkflowBuilder.add_node: WorkflowValidationError duplicate node id"),
    (connection_source_missing, False, "WorkflowBuilder.add_connection: WorkflowValidationError source node not found"),
    (connection_target_missing, False, "WorkflowBuilder.add_connection: WorkflowValidationError target node not found"),
    (connection_to_itself, False, "WorkflowBuilder.add_connection: ConnectionError node connected to itself"),
    (connection_duplicate, False, "WorkflowBuilder.add_connection: ConnectionError duplicate connection"),
    (build_node_fails, False, "WorkflowBuilder.build: WorkflowValidationError failed to add node"),
    (async_sync_workflow_fails, False, "AsyncLocalRuntime.execute_workflow_async: WorkflowExecutionError node failed in a sync workflow"),
    (async_mixed_sync_node_fails, False, "AsyncLocalRuntime.execute_workflow_async: WorkflowExecutionError sync node failed in a mixed workflow"),
    (async_mixed_async_node_fails, False, "AsyncLocalRuntime.execute_workflow_async: WorkflowExecutionError async node failed in a mixed workflow"),
    (async_fully_async_node_fails, False, "AsyncLocalRuntime.execute_workflow_async: WorkflowExecutionError node failed in a fully async workflow"),
    (async_execute_in_loop, True, "AsyncLocalRuntime.execute [running event loop]: RuntimeError called from async context"),
]


def main():
    asyncio.run(db.initialize())
    sites = {}
    for fn, in_loop, key in SCENARIOS:
        if in_loop:
            async def inside(fn=fn):
                return record(fn)

            e, frames = asyncio.run(inside())
        else:
            e, frames = record(fn)
        sites[key] = {
            "scenario": fn.__name__ + (" (called inside a running event loop)" if in_loop else ""),
            "raised": type(e).__name__,
            "message": str(e).split("\n")[0][:160],
            "frames": frames,
        }
    print(
        json.dumps(
            {
                "python": ".".join(map(str, sys.version_info[:3])),
                "kailash": kailash.__version__,
                "dataflow": dataflow.__version__,
                "sites": sites,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
