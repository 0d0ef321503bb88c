// UpsertNode sends DataFlow's text, its identifiers unquoted (docs/dataflow-2.20.md §8; recorded:
// test/conformance/cases/upsert_identifiers). A name that does not lex as one unquoted identifier is
// never pasted into SQL: the node fails as PostgreSQL's parser would and says why.
import * as assert from 'node:assert/strict';
import { filesOnEachBackend, scratchWriter } from '../backends';
import { bareIdent } from '../../../server/src/runtime/db/quoteIdent';

const write = scratchWriter('dataflow-upsert-idents-');

const FILE = `
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/idents")


@db.model
class Odd:
    code: str
    __tablename__ = 'odd "x"; DROP TABLE y; --'
    __dataflow__ = {"indexes": [{"name": "odd_code_uq", "fields": ["code"], "unique": True}]}


def main():
    rt = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("OddCreateNode", "made", {"code": "a"})
    rt.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("OddUpsertNode", "up", {"where": {"code": "a"}, "create": {"code": "a"}, "update": {}})
    results, _ = rt.execute(wf.build())
    return results["up"].get("error")
`;

describe('bareIdent: a name pasted unquoted only when it lexes as one PostgreSQL identifier', () => {
  it('identifier characters (any case, a reserved word, non-ASCII, $ after the first) pass; anything else does not', () => {
    for (const ok of ['email', 'ownerName', 'order', '_x1', 'straße', 'a$b']) assert.equal(bareIdent(ok), ok);
    for (const bad of ['', '1st', 'a b', 'a"b', 'x; DROP TABLE y', 'a-b', '$a', 'a.b']) assert.equal(bareIdent(bad), undefined, bad);
  });
});

filesOnEachBackend('UpsertNode never pastes a name that is not one identifier', (run, db) => {
  it('a __tablename__ with a quote, a space and a semicolon: Create works (quoted), Upsert fails before sending, with a quirk', async () => {
    const sent: string[] = [];
    const off = db().onStatement((e) => void sent.push(e.sql));
    let r;
    try {
      r = await run({ file: write('odd_names.py', FILE), entry: 'main' });
    } finally {
      off();
    }
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.match(String(r.returned), /Database query failed: syntax error at or near "odd \\"x\\"; DROP TABLE y; --"/);
    assert.ok(r.quirks.some((q) => q.code === 'upsert-unquoted-identifier'), JSON.stringify(r.quirks));
    assert.ok(sent.some((s) => s.startsWith('INSERT INTO "odd ""x""; DROP TABLE y; --"')), sent.join('\n'));
    assert.ok(!sent.some((s) => /ON CONFLICT/.test(s)), sent.join('\n'));
  });
});
