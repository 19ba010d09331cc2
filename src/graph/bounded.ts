/**
 * Walks over user values that cannot be made to hang or overflow the stack: a template can nest
 * its values as deep as its author likes (100,000 levels of `[[[…]]]` is a 200 kB file), and a
 * recursive walk without a limit throws a `RangeError` from deep inside the engine. Past the
 * limit a value is cut (it is unknown to whoever reads it), never a throw.
 *
 * Also: user keys (logical ids, property names) that are names of `Object.prototype`
 * (`__proto__`, `constructor`, `toString` …) are ordinary keys here. Read them with {@link own},
 * write them with {@link setOwn}: `obj[key]` would find the prototype's members, and
 * `obj['__proto__'] = v` would replace the prototype instead of adding a key.
 */

/** Deeper than this, a walk over a raw template value does not go (the normalizer stops far sooner). */
export const MAX_VALUE_DEPTH = 200;

/** What a value too deep to print is printed as. */
const CUT = '…';

/** The own property `key` of `obj`, never one of its prototype. */
export function own(obj: { readonly [key: string]: unknown }, key: string): unknown {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

/** Whether `v` is a plain object (a mapping of a template): not null, not an array. */
export function isRecord(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `obj` has the own property `key`. */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Sets the own property `key` of `obj` (also when the key is `__proto__`). */
export function setOwn<T>(obj: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** Whether `v` nests deeper than `max` levels (looks no deeper than that). */
function deeperThan(v: unknown, max: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (max <= 0) return true;
  const children = Array.isArray(v) ? v : Object.values(v);
  return children.some((c) => deeperThan(c, max - 1));
}

/** A copy of `v` down to `max` levels, what lies deeper replaced by `…`. */
function cut(v: unknown, max: number, replacer?: (x: unknown) => unknown): unknown {
  const x = replacer ? replacer(v) : v;
  if (typeof x !== 'object' || x === null) return x;
  if (max <= 0) return CUT;
  if (typeof (x as { toJSON?: unknown }).toJSON === 'function') return x; // Dates and the like are no nesting
  if (Array.isArray(x)) return x.map((c) => cut(c, max - 1, replacer));
  const out: { [key: string]: unknown } = {};
  for (const k of Object.keys(x)) setOwn(out, k, cut((x as { [key: string]: unknown })[k], max - 1, replacer));
  return out;
}

/**
 * `JSON.stringify(v)` (the same text, for values no deeper than `maxDepth`), but what lies deeper
 * than `maxDepth` is printed as `"…"`, so that it never overflows the stack (a cyclic value is
 * printed down to the limit too).
 */
export function boundedJson(
  v: unknown,
  replacer?: (x: unknown) => unknown,
  maxDepth: number = MAX_VALUE_DEPTH,
): string | undefined {
  if (replacer) {
    // The replacer may turn a leaf into an object: cut what it returns.
    return JSON.stringify(cut(v, maxDepth, replacer));
  }
  return JSON.stringify(deeperThan(v, maxDepth) ? cut(v, maxDepth) : v);
}

/**
 * The number of nodes `v` has when every shared part (an object reached by two paths, as the
 * lenient YAML reader builds for an alias) is counted once per path; `Infinity` when a part
 * contains itself. Stops counting past `limit` (returns a number above it). Iterative, so that any
 * depth is fine.
 */
export function expandedSize(v: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  type Frame = { node: object; children: unknown[]; next: number; size: number };
  const frames: Frame[] = [];
  const enter = (node: unknown): number | undefined => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) return Infinity;
    open.add(node);
    frames.push({ node, children: Array.isArray(node) ? node : Object.values(node), next: 0, size: 1 });
    return undefined;
  };
  let result = enter(v);
  while (frames.length > 0) {
    const f = frames[frames.length - 1];
    if (f.size > limit || f.next >= f.children.length) {
      frames.pop();
      open.delete(f.node);
      sizes.set(f.node, f.size);
      if (frames.length === 0) result = f.size;
      else frames[frames.length - 1].size += f.size;
      continue;
    }
    const s = enter(f.children[f.next++]);
    if (s === Infinity) return Infinity;
    if (s !== undefined) f.size += s;
  }
  return result ?? 1;
}
