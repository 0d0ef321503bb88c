// The part of js-yaml 4's API the evaluator's yaml module uses (the package ships no types).
declare module 'js-yaml' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    resolve?: (data: unknown) => boolean;
    construct?: (data: unknown) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export class Schema {
    extend(types: Type[] | { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export interface LoadOptions {
    schema?: Schema;
    json?: boolean;
    filename?: string;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export const types: Record<'binary' | 'float' | 'map' | 'null' | 'pairs' | 'set' | 'timestamp' | 'bool' | 'int' | 'merge' | 'omap' | 'seq' | 'str', Type>;
  export function load(text: string, options?: LoadOptions): unknown;
  export function loadAll(text: string, iterator?: undefined, options?: LoadOptions): unknown[];
  export class YAMLException extends Error {}
}
