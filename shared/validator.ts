// Compiles a TypeBox schema once and checks untrusted input against it at a boundary,
// returning a typed value or readable errors (path + reason), never throwing.
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface BoundaryValidator<S extends TSchema> {
  readonly schema: S;
  check(value: unknown): Checked<Static<S>>;
}

export function compileValidator<S extends TSchema>(schema: S): BoundaryValidator<S> {
  const compiled = Compile(schema);
  return {
    schema,
    check(value: unknown): Checked<Static<S>> {
      if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
      const errors = compiled
        .Errors(value)
        .slice(0, 10)
        .map((e) => `${e.instancePath || '/'}: ${e.message}`);
      return { ok: false, errors: errors.length > 0 ? errors : ['/: invalid'] };
    },
  };
}

/** Parses JSON bytes and validates them; a parse failure is reported like a schema failure. */
export function parseJson<S extends TSchema>(
  validator: BoundaryValidator<S>,
  bytes: Buffer | string,
): Checked<Static<S>> {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, errors: [`/: not JSON (${(err as Error).message})`] };
  }
  return validator.check(value);
}
