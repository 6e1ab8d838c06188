import fc from 'fast-check';
import type { z } from 'zod';

/**
 * A fast-check arbitrary of plausible values for a zod 4 schema, read from its definition (`schema._zod.def`):
 * values shaped like what the screens send, so a fuzzer gets past the schema and into the handlers. Not a
 * validator: refinements (`.refine`) and cross-field rules are not followed, and what the walker does not know
 * falls back to `fc.anything()`. Used by the dispatch fuzzer (test/integration/fuzz-dispatch.test.ts).
 */
export interface PlausibleOptions {
  /**
   * A domain-aware arbitrary for a string field, by the name of the field holding it and its zod format
   * (`uuid`, `date`, `datetime`, `email`, `url`, `regex`…): ids that exist in the database, dates near today.
   * `undefined`: the walker's own.
   */
  stringFor?: (field: string | undefined, format: string | undefined) => fc.Arbitrary<string> | undefined;
  /** How deep lazy or nested schemas are followed before falling back to `fc.anything()`. */
  maxDepth?: number;
}

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number | bigint;
  maximum?: number | bigint;
  length?: number;
  value?: number | bigint;
  inclusive?: boolean;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The check definitions of a schema: its `.checks`, and the schema itself when it is a format (z.uuid(), z.iso.date()). */
function checksOf(def: Def): CheckDef[] {
  const own = (def.checks ?? []).map((c) => c._zod.def);
  return typeof def.check === 'string' ? [def as unknown as CheckDef, ...own] : own;
}

/** Whether an object key of this schema may be left out (optional, defaulted). */
function mayBeAbsent(schema: unknown): boolean {
  const def = defOf(schema);
  if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') return true;
  if (def.type === 'pipe') return mayBeAbsent(def.in);
  if (def.type === 'nullable' || def.type === 'readonly' || def.type === 'catch') return mayBeAbsent(def.innerType);
  return false;
}

const WORDS = ['Dupont', 'Léa', 'Salle Vauban', 'CAP Cuisine', 'Martine Klein', 'Rennes', 'Malade', 'Retard train', 'ok', 'Test 1'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDay = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const SOME_DAYS = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });

function stringArb(def: Def, field: string | undefined, options: PlausibleOptions): fc.Arbitrary<string> {
  const checks = checksOf(def);
  let min = 0;
  let max = Infinity;
  let format: string | undefined;
  let pattern: RegExp | undefined;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, Number(c.minimum));
    if (c.check === 'max_length') max = Math.min(max, Number(c.maximum));
    if (c.check === 'length_equals') min = max = Number(c.length);
    if (c.check === 'string_format') {
      // The first format names the field's kind; a later regex narrows it.
      format ??= c.format;
      if (c.pattern) pattern = c.pattern;
    }
  }
  const own = options.stringFor?.(field, format);
  if (own) return own;
  switch (format) {
    case 'uuid':
      return fc.uuid({ version: 7 });
    case 'date':
      return SOME_DAYS.map(isoDay);
    case 'datetime':
      return SOME_DAYS.map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
    case 'url':
      return fc.webUrl();
    default:
      break;
  }
  if (pattern) {
    const matching = matchingOrNull(pattern);
    if (matching) return matching.filter((s) => s.length >= min && s.length <= max);
  }
  const upper = Math.min(max, min + 40);
  return fc.oneof(
    fc.constantFrom(...WORDS).filter((w) => w.length >= min && w.length <= max),
    fc.string({ minLength: min, maxLength: upper }),
  );
}

/** Strings matching a pattern; fast-check refuses some flags and constructs: those fall back to the walker's words. */
function matchingOrNull(pattern: RegExp): fc.Arbitrary<string> | null {
  try {
    // Case-insensitive patterns are matched by their lower-case reading (fast-check takes no `i` flag).
    return fc.stringMatching(pattern.flags.includes('i') ? new RegExp(pattern.source, pattern.flags.replace('i', '')) : pattern);
  } catch {
    return null;
  }
}

function numberArb(def: Def): fc.Arbitrary<number> {
  let lo = -Number.MAX_SAFE_INTEGER;
  let hi = Number.MAX_SAFE_INTEGER;
  let integer = false;
  for (const c of checksOf(def)) {
    if (c.check === 'greater_than') lo = Math.max(lo, Number(c.value) + (c.inclusive ? 0 : integer ? 1 : Number.EPSILON));
    if (c.check === 'less_than') hi = Math.min(hi, Number(c.value) - (c.inclusive ? 0 : integer ? 1 : Number.EPSILON));
    if (c.check === 'number_format') integer = true;
  }
  // Plausible figures are small: bias towards the low end of the range, but reach its bounds too.
  if (integer) {
    const l = Math.ceil(lo);
    const h = Math.floor(hi);
    return fc.oneof({ arbitrary: fc.integer({ min: l, max: Math.min(h, Math.max(l, 0) + 600) }), weight: 4 }, fc.constantFrom(l, h), fc.integer({ min: l, max: h }));
  }
  return fc.double({ min: Math.max(lo, -1e6), max: Math.min(hi, 1e6), noNaN: true, noDefaultInfinity: true });
}

/** A plausible value of `schema`; `field` is the name of the object key holding it, for `stringFor`. */
export function plausible(schema: z.ZodType, options: PlausibleOptions = {}, field?: string, depth = 0): fc.Arbitrary<unknown> {
  const maxDepth = options.maxDepth ?? 12;
  if (depth > maxDepth) return fc.anything({ maxDepth: 1 });
  const def = defOf(schema);
  const inner = (s: unknown, f = field) => plausible(s as z.ZodType, options, f, depth + 1);
  switch (def.type) {
    case 'string':
      return stringArb(def, field, options);
    case 'number':
      return numberArb(def);
    case 'boolean':
      return fc.boolean();
    case 'bigint':
      return fc.bigInt();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
    case 'never':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'optional':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(inner(def.innerType), { nil: null, freq: 3 });
    case 'default':
    case 'prefault':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 3 });
    case 'readonly':
    case 'catch':
    case 'nonoptional':
    case 'success':
      return inner(def.innerType);
    case 'pipe':
      // What the caller sends is the pipe's input side (a string before its transform, a preprocess's input).
      return defOf(def.in).type === 'transform' ? inner(def.out) : inner(def.in);
    case 'lazy':
      return inner((def.getter as () => unknown)());
    case 'array': {
      let min = 0;
      let max = Infinity;
      for (const c of checksOf(def)) {
        if (c.check === 'min_length') min = Number(c.minimum);
        if (c.check === 'max_length') max = Number(c.maximum);
        if (c.check === 'length_equals') min = max = Number(c.length);
      }
      return fc.array(inner(def.element), { minLength: min, maxLength: Math.min(max, min + 4) });
    }
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map((s) => inner(s)));
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [key, s] of Object.entries(shape)) {
        model[key] = inner(s, key);
        if (!mayBeAbsent(s)) required.push(key);
      }
      return fc.record(model, { requiredKeys: required });
    }
    case 'record': {
      const keyDef = defOf(def.keyType);
      const keys = keyDef.type === 'enum' ? fc.constantFrom(...Object.values(keyDef.entries as Record<string, string>)) : (inner(def.keyType) as fc.Arbitrary<string>);
      return fc.dictionary(keys.map(String), inner(def.valueType), { maxKeys: 4 });
    }
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((s) => inner(s)));
    case 'intersection':
      return fc.tuple(inner(def.left), inner(def.right)).map(([a, b]) => (a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a));
    default:
      return fc.anything({ maxDepth: 2 });
  }
}
