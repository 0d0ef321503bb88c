// DF004 small-pool: `DataFlow(pool_size=...)` below the configured minimum, no overflow with a
// small pool, or more connections than PostgreSQL's max_connections.
// The message says what pool_size governs in DataFlow 2.20 (reference §1.5–1.6): the startup pool
// validator, the pool monitor, and this extension's runtime; the generated nodes themselves use the
// core SQL node's pool (max 20 per process).
// Never on SQLite (a sqlite URL, ":memory:", a file path, or no URL at all, which the generated nodes
// run on in-memory SQLite, §1.4): the validator skips it ("Validation skipped (SQLite or no URL)")
// and pool sizing does not apply. MongoDB is not a SQL pool either. PostgreSQL, MySQL (the validator
// probes both) and URLs the file does not show (read from the environment) are checked.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { poolFix } from '../fixes/poolFix';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { databaseOf } from './constructorKwargs';

const GOVERNS = 'In DataFlow 2.20 pool_size sizes the startup pool validator and the pool monitor, and the pool DataFlow Performance runs your workflows with (where concurrent nodes then wait for a connection); the generated nodes themselves use the core SQL pool of 20 connections per process.';

export const SPEC = spec({
  code: 'DF004',
  name: 'small-pool',
  defaultSeverity: 'warning',
  summary: 'Connection pool too small, without overflow, or above max_connections',
  fix: 'safe',
});

export const smallPoolRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const { pool: cfg } = ctx.settings;
    const out: Finding[] = [];
    for (const inst of ctx.facts.instances) {
      const sizeKw = inst.kwargs.find((k) => k.name === 'pool_size');
      if (!sizeKw) continue;
      const db = databaseOf(ctx.file, inst);
      if (db.kind === 'sqlite' || db.kind === 'mongodb') continue;
      const overflowKw = inst.kwargs.find((k) => k.name === 'pool_max_overflow');
      const r = ctx.file.resolver;
      const size = r.number(sizeKw.value, inst.span.start, inst.functionName);
      if (size === undefined) continue;
      const overflow = overflowKw ? r.number(overflowKw.value, inst.span.start, inst.functionName) : undefined;
      if (overflowKw && overflow === undefined) continue;
      const effectiveOverflow = overflow ?? Math.max(2, Math.floor(size / 2));
      const rec = `pool_size=${cfg.recommendedSize}, pool_max_overflow=${cfg.recommendedOverflow}`;
      const fix = poolFix(ctx, inst, cfg.recommendedSize, cfg.recommendedOverflow);
      const name = inst.binding ?? 'DataFlow(...)';
      if (size > cfg.maxConnections) {
        out.push(withFix(finding(SPEC, 'error', sizeKw.span, `pool_size=${size} on ${name} alone exceeds max_connections=${cfg.maxConnections}: the database refuses connections beyond it and DataFlow's startup validator reports "CONNECTION POOL WILL EXHAUST". ${GOVERNS} Recommended: ${rec}.`), fix));
        continue;
      }
      if (size + effectiveOverflow > cfg.maxConnections) {
        out.push(withFix(finding(SPEC, severity, overflowKw?.span ?? sizeKw.span, `pool_size + pool_max_overflow = ${size + effectiveOverflow} on ${name} exceeds max_connections=${cfg.maxConnections} for a single worker; with several workers it multiplies. ${GOVERNS} Recommended: ${rec}.`), fix));
        continue;
      }
      const problems: string[] = [];
      if (size < cfg.minSize) problems.push(`pool_size=${size} is below ${cfg.minSize}`);
      if (size < 20 && (!overflowKw || overflow === 0)) problems.push(overflowKw ? `pool_max_overflow=0 leaves no headroom` : `pool_max_overflow is not set (DataFlow then allows ${effectiveOverflow})`);
      if (!problems.length) continue;
      out.push(withFix(finding(SPEC, severity, sizeKw.span, `${problems.join(' and ')} on ${name}. ${GOVERNS} Recommended: ${rec} (2x CPU cores, 20-50 typical).`), fix));
    }
    return out;
  },
};
