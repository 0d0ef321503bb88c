// asyncpg's exception classes (asyncpg.exceptions) built from the recorded catalogue, and the
// translation of a database error (its SQLSTATE) into the one asyncpg raises: the class of that
// exact SQLSTATE, else the class of its two-character SQLSTATE class, else UnknownPostgresError.
// str(e) is the server message plus "\nDETAIL:  ..." / "\nHINT:  ..." lines, as asyncpg prints it.
import { ExceptionClass, PyClass, PyException, builtinExceptionClasses, makeException, type PyValue } from '../../python/values';
import { ASYNCPG_EXCEPTIONS } from './exceptionCatalogue';

export interface AsyncpgExceptions {
  classes: Map<string, PyClass>;
  bySqlstate: Map<string, PyClass>;
}

export function asyncpgExceptions(): AsyncpgExceptions {
  const rows = new Map(ASYNCPG_EXCEPTIONS.map((r) => [r[0], r]));
  const classes = new Map<string, PyClass>();
  const bySqlstate = new Map<string, PyClass>();
  const build = (name: string): PyClass => {
    const done = classes.get(name);
    if (done) return done;
    const row = rows.get(name);
    let base: PyClass;
    if (!row) base = builtinExceptionClasses.get(name) ?? ExceptionClass; // PostgresMessage, InterfaceMessage, Warning...
    else base = build(row[2]);
    if (!row) return base;
    const ns = new Map<string, PyValue>();
    if (row[1]) ns.set('sqlstate', row[1]);
    const cls = new PyClass(name, [base], ns, undefined, name, 'asyncpg.exceptions');
    classes.set(name, cls);
    if (row[1]) bySqlstate.set(row[1], cls);
    return cls;
  };
  for (const [name] of ASYNCPG_EXCEPTIONS) build(name);
  return { classes, bySqlstate };
}

interface DriverError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  dataType?: string;
}

/** The asyncpg exception for an error the database raised; undefined when it carries no SQLSTATE. */
export function asyncpgErrorFor(exc: AsyncpgExceptions, e: unknown): PyException | undefined {
  const err = e as DriverError;
  const code = typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : undefined;
  if (!code) return undefined;
  const cls = exc.bySqlstate.get(code) ?? exc.bySqlstate.get(code.slice(0, 2) + '000') ?? exc.classes.get('UnknownPostgresError')!;
  let text = String(err.message ?? '');
  if (err.detail) text += `\nDETAIL:  ${err.detail}`;
  if (err.hint) text += `\nHINT:  ${err.hint}`;
  const inst = makeException(cls, [text]);
  inst.dict.set('sqlstate', code);
  inst.dict.set('message', String(err.message ?? ''));
  inst.dict.set('detail', err.detail ?? null);
  inst.dict.set('hint', err.hint ?? null);
  inst.dict.set('constraint_name', err.constraint ?? null);
  inst.dict.set('table_name', err.table ?? null);
  inst.dict.set('column_name', err.column ?? null);
  inst.dict.set('schema_name', err.schema ?? null);
  inst.dict.set('data_type_name', err.dataType ?? null);
  return new PyException(inst);
}
