/**
 * Policy documents parsed into statements, and a small IAM evaluator over them.
 *
 * Reads: any policy document value (API resource policies, `x-amazon-apigateway-policy`, VPC
 * endpoint policies, identity policies): `Statement` as a list or a single object; `Effect`;
 * `Principal` / `NotPrincipal` (`*`, `{ AWS: … }`, `{ Service: … }`, `{ Federated: … }`);
 * `Action` / `NotAction`; `Resource` / `NotResource`; `Condition` with `StringEquals`,
 * `StringNotEquals`, `StringLike`, `StringNotLike`, `ArnEquals`, `ArnLike`, `ArnNotEquals`,
 * `ArnNotLike`, `Bool`, `Null`, the `ForAnyValue:` / `ForAllValues:` prefixes and the `IfExists`
 * suffix; single values and arrays.
 * Also reads a document written as a JSON string (CloudFormation accepts one wherever it takes a
 * policy), a plain one or one built by `Fn::Sub` / `Fn::Join`: each substitution stands for the
 * value it is in the graph (`${Endpoint}` is the endpoint, as `Ref Endpoint` is), see
 * {@link policyDocument}.
 * Unknown: a document that is not literal JSON (a parameter, `Fn::If`, a string policy that is not
 * JSON, a substitution outside a JSON string or in a key), an operator or value that cannot be known. The evaluator answers 'unknown' where such a
 * value decides the outcome; rules stay silent on 'unknown'.
 * See: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { Tri, and, not, or } from './tri';
import { globMatch, hasWildcard } from './wildcard';
import { MAX_VALUE_DEPTH, setOwn } from '../graph/bounded';
import { Concat, Opaque, Part, ResRef, Value, at, concat, isObject, list, literal, partsOf } from '../graph/values';

/** One condition: `Operator: { key: values }`. */
export interface Condition {
  /** The operator without set prefix and `IfExists` suffix, e.g. `StringEquals`. */
  readonly operator: string;
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  readonly ifExists: boolean;
  /** The condition key, lower case (keys are case-insensitive). */
  readonly key: string;
  readonly values: Value[];
}

/** The principals a statement names. */
export interface Principals {
  /** `*` or `{ AWS: '*' }`: everyone, anonymous callers included. */
  readonly anyone: boolean;
  /** AWS principals (accounts, roles, users) other than `*`. */
  readonly aws: Value[];
  /** Service and federated principals. */
  readonly other: Value[];
}

/** One statement of a policy. */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  /** Undefined when the statement has no `Principal` (identity policies). */
  readonly principal?: Principals;
  /** True for `NotPrincipal` (its principals are the ones *not* covered). */
  readonly notPrincipal: boolean;
  readonly actions: Value[];
  readonly notActions: boolean;
  readonly resources: Value[];
  readonly notResources: boolean;
  readonly conditions: Condition[];
  /** True when part of the statement could not be read: the evaluator treats it as unknown. */
  readonly unreadable: boolean;
}

/** A parsed policy, or 'unknown' when the document cannot be read. */
export type Policy = PolicyStatement[] | 'unknown';

/** Parses a policy document value. Undefined (absent) stays undefined. */
export function parsePolicy(doc: Value | undefined): Policy | undefined {
  if (doc === undefined || doc === null) return undefined;
  const d = policyDocument(doc);
  if (!isObject(d)) return 'unknown';
  const raw = d.Statement;
  if (raw === undefined) return [];
  if (!Array.isArray(raw) && !isObject(raw)) return 'unknown';
  return list(raw).map(parseStatement);
}

/**
 * A policy text longer than this is not read. The largest policy AWS takes is 20,480 characters (an
 * API Gateway resource policy); the cap leaves room for whitespace and substitutions.
 */
export const MAX_POLICY_TEXT = 100_000;

/** What stands for the i-th substitution of a policy text while it is parsed: characters of Unicode's private use area. */
const HOLE_OPEN = '\uE000';
const HOLE_CLOSE = '\uE001';
const HOLE = /\uE000(\d+)\uE001/g;

/**
 * A policy document as structured values: the document itself when it is one, the parsed text of a
 * document written as a JSON string, or 'unknown' when the text cannot be read. A string made of
 * parts (`Fn::Sub`, `Fn::Join`) is parsed with each non-literal part standing where it is: a JSON
 * string that is exactly one substitution is that value (`"${Endpoint}"` is the endpoint, the same
 * `ResRef` as `Ref Endpoint`), one that mixes text and substitutions is a `Concat` of them. A
 * substitution outside a JSON string (where it could add keys or elements), or inside a key, makes
 * the document unknown, as does malformed JSON, a text longer than {@link MAX_POLICY_TEXT} and one
 * nested deeper than the graph's values go.
 *
 * The graph keeps such strings as strings: only here is it known that the string is a policy (a
 * JSON-looking string elsewhere may be a state machine definition or a payload a caller sends,
 * which other facts read as text).
 */
export function policyDocument(doc: Value): Value | 'unknown' {
  if (typeof doc === 'string') return parseWithHoles([doc]);
  if (doc instanceof Concat) return parseWithHoles(doc.parts);
  return doc;
}

function parseWithHoles(parts: ReadonlyArray<Part>): Value | 'unknown' {
  const holes: Array<ResRef | Opaque> = [];
  let text = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p.includes(HOLE_OPEN) || p.includes(HOLE_CLOSE)) return 'unknown';
      text += p;
    } else {
      text += `${HOLE_OPEN}${holes.length}${HOLE_CLOSE}`;
      holes.push(p);
    }
    if (text.length > MAX_POLICY_TEXT) return 'unknown';
  }
  // An escaped private-use character would parse into a hole that is none.
  if (holes.length > 0 && /\\u[eE]00[01]/.test(text)) return 'unknown';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'unknown';
  }
  return holes.length === 0 && depthWithin(parsed, MAX_VALUE_DEPTH) ? (parsed as Value) : fillHoles(parsed, holes, 0);
}

/** Whether a parsed JSON value nests no deeper than `max` levels. */
function depthWithin(v: unknown, max: number): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (max <= 0) return false;
  return (Array.isArray(v) ? v : Object.values(v)).every((c) => depthWithin(c, max - 1));
}

/** The parsed value with each hole replaced by its part; 'unknown' for a hole in a key, or too deep a value. */
function fillHoles(v: unknown, holes: ReadonlyArray<ResRef | Opaque>, depth: number): Value | 'unknown' {
  if (depth > MAX_VALUE_DEPTH) return 'unknown';
  if (typeof v === 'string') {
    if (!v.includes(HOLE_OPEN)) return v;
    const out: Part[] = [];
    let last = 0;
    for (const m of v.matchAll(HOLE)) {
      const hole = holes[Number(m[1])];
      if (hole === undefined) return 'unknown';
      out.push(v.slice(last, m.index), hole);
      last = m.index! + m[0].length;
    }
    out.push(v.slice(last));
    const joined = concat(out);
    // One substitution and nothing else is the value itself, as a `Ref` would be.
    return joined instanceof Concat && joined.parts.length === 1 ? joined.parts[0] : joined;
  }
  if (typeof v !== 'object' || v === null) return v as Value;
  if (Array.isArray(v)) {
    const items: Value[] = [];
    for (const item of v) {
      const filled = fillHoles(item, holes, depth + 1);
      if (filled === 'unknown') return 'unknown';
      items.push(filled);
    }
    return items;
  }
  const obj: { [key: string]: Value } = {};
  for (const [k, item] of Object.entries(v)) {
    if (k.includes(HOLE_OPEN)) return 'unknown';
    const filled = fillHoles(item, holes, depth + 1);
    if (filled === 'unknown') return 'unknown';
    setOwn(obj, k, filled);
  }
  return obj;
}

function parseStatement(s: Value): PolicyStatement {
  let unreadable = !isObject(s);
  const effect = literal(at(s, 'Effect'));
  if (effect !== 'Allow' && effect !== 'Deny') unreadable = true;
  const principalValue = at(s, 'Principal') ?? at(s, 'NotPrincipal');
  const principal = principalValue === undefined ? undefined : parsePrincipals(principalValue);
  if (principal === 'unknown') unreadable = true;
  const conditions: Condition[] = [];
  const cond = at(s, 'Condition');
  if (cond !== undefined) {
    if (!isObject(cond)) {
      unreadable = true;
    } else {
      for (const op of Object.keys(cond)) {
        const block = cond[op];
        if (!isObject(block)) {
          unreadable = true;
          continue;
        }
        const parsed = parseOperator(op);
        if (!parsed) {
          unreadable = true;
          continue;
        }
        for (const key of Object.keys(block)) {
          conditions.push({
            operator: parsed.operator,
            set: parsed.set,
            ifExists: parsed.ifExists,
            key: key.toLowerCase(),
            values: list(block[key]),
          });
        }
      }
    }
  }
  return {
    effect: effect === 'Deny' ? 'Deny' : 'Allow',
    principal: principal === 'unknown' ? undefined : principal,
    notPrincipal: at(s, 'NotPrincipal') !== undefined,
    actions: list(at(s, 'Action') ?? at(s, 'NotAction')),
    notActions: at(s, 'NotAction') !== undefined,
    resources: list(at(s, 'Resource') ?? at(s, 'NotResource')),
    notResources: at(s, 'NotResource') !== undefined,
    conditions,
    unreadable,
  };
}

/**
 * A condition operator as `[ForAnyValue:|ForAllValues:]<Operator>[IfExists]`; undefined when there
 * is no operator name left (an empty key). Read with string operations, never a regular
 * expression of user text: odd keys (line breaks, control characters) are just unknown operators.
 */
function parseOperator(op: string): Pick<Condition, 'operator' | 'set' | 'ifExists'> | undefined {
  let rest = op;
  let set: Condition['set'];
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
      break;
    }
  }
  const ifExists = rest.length > 'IfExists'.length && rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return rest === '' ? undefined : { operator: rest, set, ifExists };
}

function parsePrincipals(v: Value): Principals | 'unknown' {
  if (v === '*') return { anyone: true, aws: [], other: [] };
  if (!isObject(v)) return 'unknown';
  const aws = list(v.AWS);
  return {
    anyone: aws.some((a) => a === '*'),
    aws: aws.filter((a) => a !== '*'),
    other: [...list(v.Service), ...list(v.Federated), ...list(v.CanonicalUser)],
  };
}

/** Who makes a request. */
export type RequestPrincipal =
  | { readonly kind: 'anonymous' }
  /** Someone the app does not know: in another account, named by no policy. */
  | { readonly kind: 'stranger' }
  /** A caller with an AWS identity; `identity` is what policies may name it by (a role resource). */
  | { readonly kind: 'aws'; readonly identity?: Value };

/** A request, as far as the app knows it. */
export interface Request {
  readonly action: string;
  /**
   * The resource, as a matcher: whether a `Resource` entry covers the request
   * (true / false / 'unknown'). Rules build it for the API and method they ask about.
   */
  readonly resource: (pattern: Value) => Tri;
  readonly principal: RequestPrincipal;
  /**
   * Values of condition keys (lower case). A key mapped to undefined is not in the request; a key
   * mapped to 'unknown', or missing from the map, may have any value (except the principal keys of
   * an anonymous request, which it never has).
   */
  readonly context: ReadonlyMap<string, ContextValue | 'unknown' | undefined>;
}

/** A context value: what it is, in the terms the app knows. */
export interface ContextValue {
  /** Equal ids are equal values (`res:<key>` for a resource of the app, `lit:<text>` for a literal). */
  readonly ids: ReadonlyArray<string>;
  /** A literal text, when one is known (for `StringLike` patterns). */
  readonly text?: string;
  /** A value no policy of the app names (another account's endpoint, VPC or organization). */
  readonly stranger?: boolean;
}

/** The outcome of evaluating policies for a request. */
export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown';

/** Evaluates one policy for a request: Deny wins, then Allow, else implicit deny. */
export function evaluate(policy: Policy, req: Request): Decision {
  if (policy === 'unknown') return 'unknown';
  let allow: Tri = false;
  let deny: Tri = false;
  for (const s of policy) {
    const m = s.unreadable ? 'unknown' : matches(s, req);
    if (s.effect === 'Deny') deny = or(deny, m);
    else allow = or(allow, m);
  }
  if (deny === true) return 'explicit-deny';
  if (allow === false) return 'implicit-deny'; // denied whether or not an uncertain Deny applies
  if (deny === 'unknown') return 'unknown';
  if (allow === true) return 'allow';
  if (allow === 'unknown') return 'unknown';
  return 'implicit-deny';
}

function matches(s: PolicyStatement, req: Request): Tri {
  return and(
    principalMatches(s, req.principal),
    actionCovered(s, req.action),
    resourceCovered(s, req),
    conditionsHold(s.conditions, req),
  );
}

function principalMatches(s: PolicyStatement, p: RequestPrincipal): Tri {
  if (!s.principal) return true; // identity policy: the principal is whoever holds it
  const covered = ((): Tri => {
    if (s.principal.anyone) return true;
    if (p.kind === 'anonymous' || p.kind === 'stranger') return false;
    if (s.principal.aws.length === 0) return false;
    // An AWS principal covers the caller if it names its role, or its account: without the account id, unknown.
    if (p.identity && s.principal.aws.some((a) => sameIdentity(a, p.identity!))) return true;
    return 'unknown';
  })();
  return s.notPrincipal ? not(covered) : covered;
}

/** Whether a statement applies to an action (its `Action`, or everything outside its `NotAction`). */
export function actionCovered(s: PolicyStatement, action: string): Tri {
  const any = or(...s.actions.map((a) => wildcardMatch(a, action, true)));
  return s.notActions ? not(any) : any;
}

function resourceCovered(s: PolicyStatement, req: Request): Tri {
  if (s.resources.length === 0) return true; // an API resource policy may omit it: the API itself
  const any = or(...s.resources.map((r) => req.resource(r)));
  return s.notResources ? not(any) : any;
}

/** Condition keys that only an AWS identity has: an anonymous request has none of them. */
const PRINCIPAL_KEYS = /^aws:(principal|userid|username|principaltag\/)/;

function conditionsHold(conditions: ReadonlyArray<Condition>, req: Request): Tri {
  return and(...conditions.map((c) => conditionHolds(c, req)));
}

function conditionHolds(c: Condition, req: Request): Tri {
  let value: ContextValue | 'unknown' | undefined;
  if (req.context.has(c.key)) {
    value = req.context.get(c.key);
  } // undefined: the rule says the key is absent
  else if (req.principal.kind === 'anonymous' && PRINCIPAL_KEYS.test(c.key)) {
    value = undefined;
  } // anonymous has none
  else {
    value = 'unknown';
  }
  if (c.operator === 'Null') {
    if (value === 'unknown') return 'unknown';
    const absent = value === undefined;
    return or(
      ...c.values.map((v) =>
        literal(v)?.toLowerCase() === 'true' ? absent : literal(v)?.toLowerCase() === 'false' ? !absent : 'unknown',
      ),
    );
  }
  if (value === undefined) {
    // The key is not in the request: IfExists and negated operators hold, ForAllValues holds
    // vacuously, the rest fail. See the "Condition keys that are not present" part of the IAM guide.
    if (c.ifExists) return true;
    return /Not/.test(c.operator) || c.set === 'ForAllValues';
  }
  if (value === 'unknown') return 'unknown';
  const positive = positiveOperator(c.operator);
  if (!positive) return 'unknown';
  const known = value;
  const eq = or(...c.values.map((v) => valueMatches(v, known, positive.like)));
  return positive.negated ? not(eq) : eq;
}

function positiveOperator(op: string): { like: boolean; negated: boolean } | undefined {
  switch (op) {
    case 'StringEquals':
    case 'StringEqualsIgnoreCase':
    case 'ArnEquals':
    case 'Bool':
      return { like: false, negated: false };
    case 'StringLike':
    case 'ArnLike':
      return { like: true, negated: false };
    case 'StringNotEquals':
    case 'StringNotEqualsIgnoreCase':
    case 'ArnNotEquals':
      return { like: false, negated: true };
    case 'StringNotLike':
    case 'ArnNotLike':
      return { like: true, negated: true };
    default:
      return undefined;
  }
}

/** Whether a policy value matches a context value. */
function valueMatches(pattern: Value, value: ContextValue, like: boolean): Tri {
  const text = literal(pattern);
  if (value.stranger) {
    return like && text !== undefined && hasWildcard(text) ? wildcardMatch(text, 'stranger-0000', false) : false;
  }
  if (text !== undefined) {
    if (value.ids.includes(`lit:${text}`)) return true;
    if (like && value.text !== undefined && hasWildcard(text)) return wildcardMatch(text, value.text, false);
    if (value.text !== undefined) return text === value.text;
    // A literal against a value known only as a resource of the app (a vpce id CloudFormation assigns).
    return like && text === '*' ? true : 'unknown';
  }
  const id = patternIdentity(pattern);
  if (id && value.ids.includes(id)) return true;
  if (id?.startsWith('res:') && value.ids.some((v) => v.startsWith('res:'))) return false; // two different resources
  return 'unknown';
}

function patternIdentity(v: Value): string | undefined {
  if (v instanceof ResRef) return `res:${v.key}`;
  if (v instanceof Opaque && (v.kind === 'param' || v.kind === 'import' || v.kind === 'stack-output')) {
    return `${v.kind}:${v.id}`;
  }
  return undefined;
}

function sameIdentity(a: Value, b: Value): boolean {
  const ia = patternIdentity(a) ?? (literal(a) !== undefined ? `lit:${literal(a)}` : undefined);
  const ib = patternIdentity(b) ?? (literal(b) !== undefined ? `lit:${literal(b)}` : undefined);
  return ia !== undefined && ia === ib;
}

/** Whether a pattern with `*` and `?` matches a text (case-insensitive for actions); unknown for a pattern made of unknown parts. */
export function wildcardMatch(pattern: Value, text: string, ignoreCase: boolean): Tri {
  const p = literal(pattern);
  if (p === undefined) {
    const parts = partsOf(pattern);
    return parts ? 'unknown' : false;
  }
  return globMatch(p, text, ignoreCase);
}
