// The top of the small files the Kailash core-node tests write: a DataFlow with one model, Note.
export const NOTE_HEADER = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://postgres@localhost:5432/app")


@db.model
class Note:
    text: str

`;
