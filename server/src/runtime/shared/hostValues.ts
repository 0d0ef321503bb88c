// The plain values the evaluator hands to the host for Python's datetime, date, Decimal and UUID
// (python/convert.ts toPlain), and takes back (fromPlain): neither the evaluator's objects nor
// DataFlow's, so both layers use them without importing each other. DataFlow's values
// (dataflow/values/dfValues.ts) contain them.

export class PyDateTime {
  /** `iso` is what Python's isoformat() would print (naive unless it carries an offset). */
  constructor(readonly iso: string) {}
  toString(): string {
    return this.iso;
  }
}

export class PyDate {
  constructor(readonly iso: string) {}
  toString(): string {
    return this.iso;
  }
}

export class PyDecimal {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** uuid.UUID: `hex` is str(uuid), the canonical 8-4-4-4-12 lower-case form. */
export class HostUUID {
  constructor(readonly hex: string) {}
  toString(): string {
    return this.hex;
  }
}
