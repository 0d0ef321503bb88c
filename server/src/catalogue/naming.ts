// DataFlow's CamelCase → snake_case: the first two steps of its table names
// (DataFlow._class_name_to_table_name, dataflow/core/engine.py): a capitalised word gets an
// underscore before it whatever precedes it (XMLParser → xml_parser, Order_Item → order__item),
// then every lower-case letter or digit followed by a capital does.

export function camelToSnake(name: string): string {
  const s1 = name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return s1.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
