// DF031 no-op-setting: constructor keywords and `__dataflow__` keys that do nothing in DataFlow 2.20
// (reference §1.1, §3.4):
// - keywords outside the signature and the accepted **kwargs set: DataFlow warns DF-CFG-001 and
//   ignores them (`pool_pre_ping`, `connect_timeout`, `enable_query_cache`, ...);
//   `startup_validation` is not reported: it warns too, but DataFlow reads it;
// - `max_overflow=`: in the signature as an alias, but nothing reads it;
// - `slow_query_threshold=` ≥ 10: the unit is seconds (a value meant as milliseconds);
// - `echo=True` / `monitoring=True`: stored, no SQL or slow-query logging on the node path (information);
// - unknown `__dataflow__` keys on a model (`versioned`, `table_name`, `cache_enabled`, ...).
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { strValue } from '../model/staticExpr';
import { constructorKwarg, DATAFLOW_MODEL_KEYS, UNKNOWN_MODEL_KEY_INSTEAD, WARNED_KWARG_INSTEAD } from '../catalogue';
import { foreignDataFlowClass } from './constructorKwargs';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF031',
  name: 'no-op-setting',
  defaultSeverity: 'warning',
  summary: 'DataFlow constructor keywords and __dataflow__ keys that have no effect in 2.20',
  fix: 'unsafe',
});

/** One step milder than the configured severity, for settings that are harmless but misleading. */
function milder(sev: 'error' | 'warning' | 'information' | 'hint'): 'information' | 'hint' {
  return sev === 'hint' ? 'hint' : 'information';
}

export const noOpSettingRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const r = ctx.file.resolver;
    // Not where DataFlow is imported from another package: that class has other parameters.
    const instances = ctx.facts.instances.length && !foreignDataFlowClass(ctx.file) ? ctx.facts.instances : [];
    for (const inst of instances) {
      for (const kw of inst.kwargs) {
        const name = kw.name;
        const nameSpan = { start: kw.span.start, end: kw.span.start + name.length };
        if (!constructorKwarg(name)) {
          const instead = WARNED_KWARG_INSTEAD[name];
          out.push(finding(SPEC, severity, nameSpan, `${name}= is not a DataFlow 2.20 parameter: the constructor warns "DF-CFG-001: Unknown parameters passed to DataFlow" and ignores it. ${instead ?? 'Remove it.'}`));
          continue;
        }
        if (name === 'max_overflow') {
          const other = inst.kwargs.some((k) => k.name === 'pool_max_overflow');
          const f = finding(SPEC, severity, nameSpan, `max_overflow= is accepted by DataFlow 2.20 but nothing reads it (a dead alias): the overflow stays ${other ? 'what pool_max_overflow= says' : 'max(2, pool_size // 2)'}. Write pool_max_overflow= instead.`);
          out.push(withFix(f, other
            ? { reason: 'pool_max_overflow= is already given; remove max_overflow= by hand' }
            : { fix: () => ({ title: 'Rename max_overflow= to pool_max_overflow=', isPreferred: true, edits: [{ uri: ctx.file.uri, edits: [{ span: nameSpan, newText: 'pool_max_overflow' }] }] }) }));
          continue;
        }
        if (name === 'slow_query_threshold') {
          const v = r.number(kw.value, inst.span.start, inst.functionName);
          if (v !== undefined && v >= 10) {
            out.push(finding(SPEC, severity, kw.span, `slow_query_threshold is in seconds in DataFlow 2.20: ${v} means ${v} s (${v} ms would be ${v / 1000}), and the generated nodes never check it (only queries recorded by hand through DataFlowEngine's QueryEngine are). Write slow_query_threshold=${v / 1000} if you meant milliseconds.`));
          }
          continue;
        }
        if (name === 'echo' || name === 'monitoring') {
          const v = r.value(kw.value, inst.span.start, inst.functionName);
          if (v?.k !== 'bool' || !v.v) continue;
          out.push(finding(SPEC, milder(severity), kw.span, name === 'echo'
            ? 'echo=True does not log SQL in DataFlow 2.20: the value is only stored (and shown by get_connection_info()); the generated nodes log no SQL.'
            : 'monitoring=True has no consumer on DataFlow 2.20\'s generated-node path: no query or slow-query monitoring happens there (the pool monitor runs whatever this says).'));
        }
      }
    }
    for (const cls of ctx.facts.classes) {
      const cfg = cls.dataflowConfig?.value;
      if (!cfg || cfg.k !== 'dict') continue;
      const isModel = !!cls.modelDecoratorOf || ctx.file.facts.registrations.some((x) => x.className === cls.name);
      if (!isModel) continue;
      for (const e of cfg.entries) {
        const key = strValue(e.key ?? undefined);
        if (key === undefined || (DATAFLOW_MODEL_KEYS as readonly string[]).includes(key)) continue;
        const instead = UNKNOWN_MODEL_KEY_INSTEAD[key];
        out.push(finding(SPEC, severity, e.key!.span, `__dataflow__ key "${key}" is not read by DataFlow 2.20: registering ${cls.name} warns "unknown __dataflow__ key(s)" and the key has no effect.${instead ? ` ${instead}` : ''} Recognised keys: ${DATAFLOW_MODEL_KEYS.join(', ')}.`));
      }
    }
    return out;
  },
};
