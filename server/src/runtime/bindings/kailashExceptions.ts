// kailash.sdk_exceptions's class hierarchy (kailash 2.63), so that `except WorkflowException:` or
// `except KailashException:` catches what the runtime raises, as in Python, and the module offers
// the base classes projects import. Matching of `except` clauses is by the names in the class's MRO.
import { hostExceptionClass } from '../python/host';
import type { PyClass } from '../python/values';

const MODULE = 'kailash.sdk_exceptions';

/** [class, base] in definition order (a base before its subclasses); no base = Exception. */
const HIERARCHY: [string, string?][] = [
  ['KailashException'],
  ['NodeException', 'KailashException'],
  ['NodeValidationError', 'NodeException'],
  ['NodeExecutionError', 'NodeException'],
  ['NodeConfigurationError', 'NodeException'],
  ['SafetyViolationError', 'NodeException'],
  ['CodeExecutionError', 'NodeException'],
  ['WorkflowException', 'KailashException'],
  ['WorkflowValidationError', 'WorkflowException'],
  ['WorkflowExecutionError', 'WorkflowException'],
  ['WorkflowCancelledError', 'WorkflowExecutionError'],
  ['CyclicDependencyError', 'WorkflowException'],
  ['ConnectionError', 'WorkflowException'],
  ['RuntimeException', 'KailashException'],
  ['RuntimeExecutionError', 'RuntimeException'],
];

let classes: Map<string, PyClass> | undefined;

/** The classes by name (built once; `except` matches by MRO names, so one set serves every evaluation). */
export function kailashExceptionClasses(): Map<string, PyClass> {
  if (!classes) {
    classes = new Map();
    for (const [name, base] of HIERARCHY) {
      classes.set(name, base ? hostExceptionClass(name, classes.get(base)!, MODULE) : hostExceptionClass(name, undefined, MODULE));
    }
  }
  return classes;
}

/** The class a runtime error of this Python type name is raised as, when it is one of kailash's. */
export function kailashExceptionClass(pythonType: string): PyClass | undefined {
  return kailashExceptionClasses().get(pythonType);
}
