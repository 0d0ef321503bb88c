// Imported for its effect by the runtime and profiler test helpers (test/runtime/backends.ts):
// every performance report built in a test process is checked against reportSchema.json, strict,
// as it is built, so a field the schema does not describe fails the test that produced it (the
// schema tests alone only check hand-written documents).
import { Profiler } from '../../server/src/profiler/profiler';
import { assertValidReport } from '../../server/src/report/validateReport';

const patched = Symbol.for('dataflow-performance.validateEveryReport');
const proto = Profiler.prototype as unknown as Record<symbol, boolean> & { buildReport: Profiler['buildReport'] };
if (!proto[patched]) {
  proto[patched] = true;
  const build = proto.buildReport;
  proto.buildReport = async function (this: Profiler, ...args: Parameters<Profiler['buildReport']>) {
    const report = await build.apply(this, args);
    assertValidReport(report);
    return report;
  };
}
