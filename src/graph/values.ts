/**
 * The value model of the resource graph.
 *
 * Every property value of every resource is normalized once, when the graph is built, into plain
 * JSON plus three kinds of node that stand for what a template only knows by reference:
 *
 * - {@link ResRef}: `Ref` or `Fn::GetAtt` of a resource of the app, already tied to the right
 *   resource (also across stacks: `Fn::ImportValue`, `Fn::GetStackOutput`, nested-stack
 *   parameters and outputs, and CDK's cross-stack references are followed to their producer);
 * - {@link Concat}: a string made of parts (`Fn::Join`, `Fn::Sub`) that are not all literal;
 * - {@link Opaque}: a value that cannot be known at synth time (a parameter, an import of an export
 *   that the app does not define, a pseudo parameter of an environment-agnostic stack, `Fn::If` …).
 *   Two opaque values with the same `id` are the same unknown value (the same parameter, the same
 *   export), which is what lets the facts tell that two imported VPC ids name the same VPC.
 *
 * Facts and rules only ever see this model; none of them parses intrinsics.
 */
import { boundedJson, own } from './bounded';

/** A `Ref` (no attribute) or `Fn::GetAtt` of a resource of the app. */
export class ResRef {
  constructor(
    /** Key of the resource in the graph. */
    public readonly key: string,
    /** The attribute for `Fn::GetAtt`; undefined for `Ref`. */
    public readonly attr?: string,
  ) {}
}

/** Kinds of value that cannot be known at synth time. */
export type OpaqueKind = 'param' | 'import' | 'stack-output' | 'pseudo' | 'intrinsic' | 'unknown-ref';

/** A value that is unknown at synth time; equal ids are the same unknown value. */
export class Opaque {
  constructor(
    public readonly kind: OpaqueKind,
    public readonly id: string,
    /**
     * The value this one is computed from, when the computation cannot be done at synth time: the
     * list an `Fn::Select` picks from, the string an `Fn::Split` cuts. It keeps what a value is made
     * of (CDK's alias to an interface endpoint is `Fn::Select` over `Fn::Split` over the endpoint's
     * `DnsEntries`) without claiming to know the value itself.
     */
    public readonly from?: Value,
  ) {}
}

/** The resource a value is computed from: the value itself, or what its `from` chain starts at. */
export function sourceRef(v: Value | undefined): ResRef | undefined {
  let cur = v;
  for (let i = 0; i < 16 && cur instanceof Opaque; i++) cur = cur.from;
  return cur instanceof ResRef ? cur : undefined;
}

/** A string made of literal and non-literal parts. Adjacent literals are always merged. */
export class Concat {
  constructor(public readonly parts: ReadonlyArray<Part>) {}
}

/** One part of a string. */
export type Part = string | ResRef | Opaque;

/** A normalized value. */
export type Value = string | number | boolean | null | ResRef | Opaque | Concat | Value[] | { [key: string]: Value };

/** A plain (non-marker) object of normalized values. */
export type ValueObject = { [key: string]: Value };

/** Whether `v` is a plain object (not an array, not a marker). */
export function isObject(v: unknown): v is ValueObject {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof ResRef) &&
    !(v instanceof Opaque) &&
    !(v instanceof Concat)
  );
}

/** Builds a string from parts: a literal when every part is one, a Concat otherwise. */
export function concat(parts: ReadonlyArray<Part | Concat>): string | Concat {
  const out: Part[] = [];
  for (const p of parts) {
    const flat = p instanceof Concat ? p.parts : [p];
    for (const q of flat) {
      const last = out[out.length - 1];
      if (typeof q === 'string' && typeof last === 'string') {
        out[out.length - 1] = last + q;
      } else if (q !== '') {
        out.push(q);
      }
    }
  }
  if (out.length === 0) return '';
  if (out.length === 1 && typeof out[0] === 'string') return out[0];
  return new Concat(out);
}

/**
 * The parts of a string-like value, or undefined when the value is not string-like
 * (a number is its decimal text; an object or array has no parts).
 */
export function partsOf(v: Value | undefined): Part[] | undefined {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (v instanceof Concat) return [...v.parts];
  if (v instanceof ResRef || v instanceof Opaque) return [v];
  return undefined;
}

/** A literal string, or undefined when the value is not (entirely) literal. */
export function literal(v: Value | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/**
 * A CloudFormation boolean: `true`/`false` or the strings `"true"`/`"false"` (any case).
 * `undefined` when the value is absent; `'unknown'` when it cannot be known.
 */
export function bool(v: Value | undefined): boolean | 'unknown' | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return 'unknown';
}

/** The value at a property path (`['VpcConfig', 'SubnetIds']`), or undefined. */
export function at(v: Value | undefined, ...path: ReadonlyArray<string | number>): Value | undefined {
  let cur: Value | undefined = v;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isObject(cur)) return undefined;
      cur = own(cur, key) as Value | undefined; // `constructor` is a property name here, not Object's
    }
  }
  return cur;
}

/** The value as a list: an array as is, a single value as a one-element list, absent as empty. */
export function list(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A short, stable text for an unknown value (used in messages and identities). */
export function describe(v: Value | undefined): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return v;
  if (v instanceof ResRef) return v.attr ? `${v.key}.${v.attr}` : v.key;
  if (v instanceof Opaque) return `${v.kind}:${v.id}`;
  if (v instanceof Concat) return v.parts.map((p) => (typeof p === 'string' ? p : `\${${describe(p)}}`)).join('');
  return boundedJson(v) ?? 'undefined'; // deeper than the limit: `…`, never a RangeError
}
