// Hostile payloads for the boundary fuzzer (fast-check): random bytes, JSON of the wrong types, huge arrays,
// deep nesting, oversized messages, and valid messages with one field mutated; plus bodies for an HTTP route
// generated from its own JSON schema, then broken the same ways.
import fc from 'fast-check';

/** What each kind of hostile payload is, for the report. */
export type PayloadKind = 'bytes' | 'json-any' | 'huge-array' | 'deep-nesting' | 'oversized' | 'mutated';

export interface FuzzPayload {
  kind: PayloadKind;
  bytes: Buffer;
}

/** Sizes: above the edge's JSON cap (256 KiB) and near the broker's message limit (2 MiB). */
export const FUZZ_SIZES = { oversizedBytes: 300 * 1024, hugeArrayItems: 50_000, deepNesting: 5_000 } as const;

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

const deep = (depth: number) => Buffer.from(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

/** Replaces, drops or retypes one field of a valid message (recursively into one nested value). */
export function mutated(valid: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(valid)) {
    if (valid.length === 0) return fc.anything();
    return fc
      .tuple(fc.nat({ max: valid.length - 1 }), fc.constant(null))
      .chain(([i]) => mutated(valid[i]).map((item) => valid.map((v, j) => (j === i ? item : v))));
  }
  if (valid !== null && typeof valid === 'object') {
    const entries = Object.entries(valid);
    if (entries.length === 0) return fc.anything();
    return fc.oneof(
      fc
        .constantFrom(...entries.map(([key]) => key))
        .chain((key) => fc.anything().map((value) => ({ ...valid, [key]: value }))),
      fc.constantFrom(...entries.map(([key]) => key)).map((key) => {
        const { [key]: _dropped, ...rest } = valid as Record<string, unknown>;
        return rest;
      }),
      fc
        .constantFrom(...entries)
        .chain(([key, value]) => mutated(value).map((inner) => ({ ...valid, [key]: inner }))),
      fc
        .tuple(fc.string({ maxLength: 12 }), fc.anything())
        .map(([key, value]) => ({ ...valid, [key]: value })),
    );
  }
  return fc.oneof(
    fc.anything(),
    fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER, 1e308, -1e308, '', 'x'.repeat(5000), true, null),
  );
}

/** Hostile payloads around one valid example of the message a topic carries. */
export function hostilePayloads(valid: unknown): fc.Arbitrary<FuzzPayload> {
  return fc.oneof(
    { weight: 3, arbitrary: mutated(valid).map((v) => ({ kind: 'mutated' as const, bytes: json(v) })) },
    {
      weight: 2,
      arbitrary: fc
        .uint8Array({ maxLength: 2048 })
        .map((b) => ({ kind: 'bytes' as const, bytes: Buffer.from(b) })),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ kind: 'json-any' as const, bytes: json(v) })) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1000, max: FUZZ_SIZES.hugeArrayItems })
        .map((n) => ({ kind: 'huge-array' as const, bytes: json(new Array(n).fill(0)) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: FUZZ_SIZES.deepNesting })
        .map((d) => ({ kind: 'deep-nesting' as const, bytes: deep(d) })),
    },
    {
      weight: 1,
      arbitrary: fc.constant(null).map(() => ({
        kind: 'oversized' as const,
        bytes: Buffer.concat([json(valid), Buffer.alloc(FUZZ_SIZES.oversizedBytes, 0x20)]),
      })),
    },
  );
}

/** A JSON schema as fastify keeps it (TypeBox output): just what the generator reads. */
export interface JsonSchemaLike {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  items?: JsonSchemaLike;
  anyOf?: JsonSchemaLike[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

/** Values that satisfy `schema` as far as a generator easily can (the starting point for mutation). */
export function conforming(schema: JsonSchemaLike | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.anyOf !== undefined && schema.anyOf.length > 0)
    return fc.oneof(...schema.anyOf.map((s) => conforming(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = conforming(sub, depth + 1);
      return fc.record(record, { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(conforming(schema.items, depth + 1), { maxLength: 4 });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Request bodies for a route: conforming, mutated from conforming, or any of the hostile kinds. */
export function hostileBodies(schema: JsonSchemaLike | undefined): fc.Arbitrary<FuzzPayload> {
  return fc.oneof(
    {
      weight: 2,
      arbitrary: conforming(schema).map((v) => ({ kind: 'json-any' as const, bytes: json(v) })),
    },
    {
      weight: 4,
      arbitrary: conforming(schema).chain((valid) => hostilePayloads(valid)),
    },
  );
}
