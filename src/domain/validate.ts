import { Type, type SchemaOptions, type Static, type TSchema } from "@sinclair/typebox";
import { Value, ValueErrorType } from "@sinclair/typebox/value";

/**
 * One validation library for every input Kith reads: TypeBox, the same schemas the HTTP API serves
 * as OpenAPI. A schema may carry `message` (what to tell the user instead of TypeBox's generic
 * text). Defaults are filled in; with `convert`, strings become the numbers and booleans a schema
 * asks for (environment variables, CSV cells).
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export function check<S extends TSchema>(
  schema: S,
  input: unknown,
  options: { convert?: boolean } = {},
): Checked<Static<S>> {
  let value: unknown = Value.Default(schema, Value.Clone(input));
  if (options.convert) value = Value.Convert(schema, value);
  if (Value.Check(schema, value)) return { ok: true, value };
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const path = error.path.slice(1).replaceAll("/", ".") || "the whole value";
    if (seen.has(path)) continue;
    seen.add(path);
    const message =
      error.type === ValueErrorType.ObjectAdditionalProperties
        ? "unknown field"
        : ((error.schema as { message?: string }).message ?? error.message);
    problems.push(`${path}: ${message}`);
  }
  return { ok: false, problems };
}

/** Schema options with the message a user sees when the value does not fit. */
export const says = (message: string) => ({ message });

/** One of fixed strings, typed as their union (TypeBox types a mapped list of literals as string). */
export const oneOf = <const V extends readonly string[]>(values: V, options: SchemaOptions = {}) =>
  Type.Unsafe<V[number]>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      options,
    ),
  );
