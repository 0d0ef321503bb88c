// Profiles on data that looks like the user's (issue 15 §3), on both backends: synthetic rows are
// shaped by field names and types (emails, a skewed handful of categories, parent ids), and just
// before a workflow runs a share of them takes the values its filters select — its literals, the
// entry's arguments and `parameters=` overrides alike — so plans are measured on queries that
// return rows; the report says what was seeded and the selectivity each filter then had.
import * as assert from 'node:assert/strict';
import { filesOnEachBackend, scratchWriter } from '../backends';
import { EQUALITY_SHARE, RANGE_SHARE } from '../../../server/src/runtime/dataflow/seed/filterSeeding';

const write = scratchWriter('dfp-seeding-');

const SHOP = `from datetime import datetime
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://localhost/shop")


@db.model
class Customer:
    name: str
    email: str
    status: str = "active"


@db.model
class Purchase:
    customer_id: int
    sku: str
    category: str
    amount: float = 1.0
    placed_at: datetime = None
    __dataflow__ = {"indexes": [{"name": "idx_purchase_sku", "fields": ["sku"], "unique": True}]}


def report(category="toys"):
    wf = WorkflowBuilder()
    wf.add_node("PurchaseListNode", "by_category", {"filter": {"category": category}, "limit": 1000})
    wf.add_node("PurchaseCountNode", "by_sku", {"filter": {"sku": "SKU-42"}})
    wf.add_node("PurchaseCountNode", "recent", {"filter": {"placed_at": {"$gte": datetime(2024, 12, 1)}, "amount": {"$gt": 90, "$lte": 95}}})
    wf.add_node("CustomerCountNode", "vip", {"filter": {"status": {"$in": ["gold", "platinum"]}}})
    results, _ = LocalRuntime().execute(wf.build(), parameters={"vip": {"filter": {"status": {"$in": ["gold", "platinum", "diamond"]}}}})
    return {
        "categories": sorted({r["category"] for r in results["by_category"]["records"]}),
        "by_category": len(results["by_category"]["records"]),
        "by_sku": results["by_sku"]["count"],
        "recent": results["recent"]["count"],
        "vip": results["vip"]["count"],
    }
`;

filesOnEachBackend('seeding on data shaped like the workflow\'s', (run, db) => {
  it('seeded rows match the filters\' literals, arguments and parameters=; the report lists each filter with its selectivity', async () => {
    const file = write('shop.py', SHOP);
    const n = 2000;
    const r = await run({ file, entry: 'report', args: { category: 'board games' }, seedRows: n, seedAllowDatabase: db().description, profile: {} });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const got = r.returned as Record<string, unknown>;
    assert.deepEqual(got.categories, ['board games'], 'the argument\'s value, not the default, was seeded');
    assert.equal(got.by_category, n / EQUALITY_SHARE);
    assert.equal(got.by_sku, 1, 'a unique field: one row takes the value');
    assert.equal(got.vip, n / EQUALITY_SHARE, 'the parameters= override (three statuses) decided the values');
    assert.ok((got.recent as number) >= n / RANGE_SHARE, `the range selects at least the rows seeded into it (${got.recent})`);

    const seeded = r.report!.database.seededFilters!;
    const by = (condition: string) => seeded.find((f) => f.condition === condition);
    assert.deepEqual(by("category = 'board games'"), { model: 'Purchase', field: 'category', condition: "category = 'board games'", seeded: n / EQUALITY_SHARE, matching: n / EQUALITY_SHARE, total: n });
    assert.deepEqual(by("sku = 'SKU-42'"), { model: 'Purchase', field: 'sku', condition: "sku = 'SKU-42'", seeded: 1, matching: 1, total: n });
    assert.equal(by("status in ('gold', 'platinum', 'diamond')")?.seeded, n / EQUALITY_SHARE);
    assert.equal(by('90 < amount <= 95')?.seeded, n / RANGE_SHARE);
    assert.ok(by('placed_at >= 2024-12-01T00:00:00'), JSON.stringify(seeded.map((f) => f.condition)));
    assert.ok(r.notes.some((x) => x.startsWith("seeded for the filter Purchase.category = 'board games': 100 row(s) given matching values; it selects 100 of 2000 rows (5.0 %)")), r.notes.join('\n'));
    // The seeding's own statements are not the workflow's.
    assert.ok(!r.report!.statements.some((s) => /^\s*UPDATE/i.test(s.sql)), 'no seeding UPDATE in the profile');
  });

  it('synthetic values look like the fields they fill: emails, a skewed handful of statuses, parent ids among the parents', async () => {
    const file = write('shop2.py', SHOP);
    const r = await run({ file, entry: 'report', seedRows: 1000, seedAllowDatabase: db().description });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const q = async (sql: string) => (await db().query(sql)).rows as Array<Record<string, number>>;
    const [email] = await q('SELECT email FROM customers ORDER BY id LIMIT 1');
    assert.match(String(email.email), /^user\d+@example\.com$/);
    const statuses = await q('SELECT status, COUNT(*)::int AS n FROM customers GROUP BY status ORDER BY n DESC');
    assert.ok(statuses.length <= 15, `${statuses.length} distinct statuses`);
    assert.ok(statuses[0].n >= 3 * statuses[statuses.length - 1].n, 'skewed: the most common status is far more common than the rarest');
    const [fk] = await q('SELECT MIN(customer_id)::int AS lo, MAX(customer_id)::int AS hi FROM purchases');
    assert.ok(fk.lo >= 1 && fk.hi <= 1000, JSON.stringify(fk));
    const [skus] = await q('SELECT COUNT(DISTINCT sku)::int AS d, COUNT(*)::int AS n FROM purchases');
    assert.equal(skus.d, skus.n, 'the unique sku stays unique');
  });
});
