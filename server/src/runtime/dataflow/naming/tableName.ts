import { createHash } from 'node:crypto';
import { camelToSnake } from '../../../catalogue/naming';

/** DataFlow's irregular plurals (engine `_pluralize`). */
const IRREGULAR: Record<string, string> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
  tooth: 'teeth',
  foot: 'feet',
  ox: 'oxen',
  data: 'data',
};

/** Pluralise one lower-case English word with DataFlow's rules (§2.4). */
export function pluralize(word: string): string {
  if (word in IRREGULAR) return IRREGULAR[word];
  if (/(s|x|z|ch|sh)$/.test(word)) return word + 'es';
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  if (/fe$/.test(word)) return word.slice(0, -2) + 'ves';
  return word + 's';
}

/** PostgreSQL's identifier budget. */
export const PG_IDENTIFIER_MAX = 63;

/** DataFlow's `_class_name_to_table_name`: snake_case, last segment pluralised, fitted to 63 chars. */
export function classNameToTableName(className: string): string {
  const snake = camelToSnake(className);
  const parts = snake.split('_');
  parts[parts.length - 1] = pluralize(parts[parts.length - 1]);
  return fitIdentifier(parts.join('_'));
}

/** Shorten an over-long generated name with a digest suffix. */
export function fitIdentifier(name: string, max = PG_IDENTIFIER_MAX): string {
  if (Buffer.byteLength(name) <= max) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return name.slice(0, max - 9) + '_' + digest;
}
