import { boundedJson, hasOwn, own, setOwn } from './bounded';
import { expandSam, SAM_ORIGIN } from './sam';
import { RawStack, ResourceNode, StackNode, resourceKey } from './types';
import { Concat, Opaque, Part, ResRef, Value, ValueObject, concat } from './values';

/**
 * Marker that the construct-tree builder writes where a token refers to a resource of another
 * stack: a string `\u0001XSR:<base64 of { stack, value }>\u0001` holding the producer stack's key
 * and the intrinsic as the producer sees it. It is a string so that it passes the property type
 * checks of L1 rendering and can sit inside `Fn::Join`s. It lets a reference land on the right
 * resource before synthesis has turned it into an `Fn::ImportValue` (or a nested-stack
 * parameter), and after it just the same.
 */
const MARK = '\u0001XSR:';
const MARK_RE = /\u0001XSR:([A-Za-z0-9+/=]*)\u0001/g;

/** Encodes a reference to `value` (an intrinsic) inside the stack with key `stack`. */
export function encodeCrossStackRef(stack: string, value: unknown): string {
  return `${MARK}${Buffer.from(boundedJson({ stack, value }) ?? '{}', 'utf-8').toString('base64')}\u0001`;
}

/** Deeper than this, a value is left unknown (guards against reference cycles and pathological input). */
const MAX_DEPTH = 64;

/**
 * A string longer than this, or made of more parts, is left unknown. A template writes each of its
 * strings out, but outputs and imports are normalized once and used many times: outputs that each
 * join two uses of the next one double at every step.
 */
const MAX_STRING_LENGTH = 1_000_000;
const MAX_PARTS = 10_000;

/** What `Fn::Split` makes of a string: its items, how many of them are certain, and the string cut. */
interface SplitItems {
  readonly items: Array<Part | Concat>;
  readonly exact: number;
  readonly source: Normalized;
}

/** The characters each pseudo parameter is made of (for `Fn::Split`: which separators it cannot hold). */
const PSEUDO_CHARS: { [name: string]: RegExp } = {
  'AWS::Region': /[a-z0-9-]/,
  'AWS::URLSuffix': /[a-z.]/,
  'AWS::AccountId': /[0-9]/,
  'AWS::Partition': /[a-z-]/,
};

/** The characters the `Ref` of a resource of these types is made of. */
const REF_CHARS: { [type: string]: RegExp } = {
  'AWS::ApiGateway::RestApi': /[a-z0-9]/,
  'AWS::ApiGatewayV2::Api': /[a-z0-9]/,
  'AWS::ApiGateway::Deployment': /[a-z0-9]/,
  'AWS::ApiGateway::Stage': /[A-Za-z0-9_-]/,
  'AWS::ApiGatewayV2::Stage': /[A-Za-z0-9_$-]/,
  'AWS::ApiGateway::DomainName': /[a-z0-9.*-]/,
  'AWS::ApiGatewayV2::DomainName': /[a-z0-9.*-]/,
  'AWS::EC2::VPCEndpoint': /[a-z0-9-]/,
  'AWS::EC2::Subnet': /[a-z0-9-]/,
  'AWS::EC2::VPC': /[a-z0-9-]/,
};

/** The metadata key of cfn-init's configuration. */
const CFN_INIT = 'AWS::CloudFormation::Init';

/** `AWS::NoValue`: removes the key or element it stands in. */
const NO_VALUE = Symbol('AWS::NoValue');
type Normalized = Value | typeof NO_VALUE | undefined;

interface StackCtx {
  readonly raw: RawStack;
  readonly node: StackNode;
}

/** The stacks and resources of an app, normalized: what a `ResourceGraph` is built from. */
export interface NormalizedApp {
  /** The stacks, sorted by key. */
  readonly stacks: StackNode[];
  /** The resources, sorted by stack key, then logical id. */
  readonly resources: ResourceNode[];
}

/**
 * Normalizes the templates of an app into the nodes of a `ResourceGraph`: every intrinsic that names a
 * resource becomes a {@link ResRef} to it (across stacks too), every unknowable value an
 * {@link Opaque}, every partly-known string a {@link Concat}. Never throws on template content:
 * what it cannot read becomes unknown.
 */
export function normalizeApp(
  stacks: ReadonlyArray<RawStack>,
  readsType: (type: string) => boolean = () => true,
): NormalizedApp {
  const ctxs = new Map<string, StackCtx>();
  for (const given of stacks) {
    if (ctxs.has(given.key)) continue; // the same stack handed over twice: read it once
    // SAM resources become what the transform makes of them, before any reference is tied.
    const expanded = expandSam(given.template);
    const raw = expanded === given.template ? given : { ...given, template: expanded };
    const node: StackNode = {
      key: raw.key,
      name: raw.name,
      region: raw.region,
      account: raw.account,
      parentKey: raw.parent?.key,
      templateFile: raw.templateFile,
    };
    ctxs.set(raw.key, { raw, node });
  }
  const n = new Normalizer(ctxs);
  const resources: ResourceNode[] = [];
  const sortedKeys = [...ctxs.keys()].sort();
  for (const key of sortedKeys) {
    const ctx = ctxs.get(key)!;
    const res = objectOrEmpty(ctx.raw.template.Resources);
    for (const logicalId of Object.keys(res).sort()) {
      const def = res[logicalId];
      const type = isPlain(def) ? own(def, 'Type') : undefined;
      if (!isPlain(def) || typeof type !== 'string') continue;
      const rawMetadata = own(def, 'Metadata');
      let metadata = isPlain(rawMetadata) ? rawMetadata : {};
      const props = readsType(type) ? n.norm(own(def, 'Properties'), ctx, 0) : undefined;
      // `AWS::CloudFormation::Init` holds files and commands that may name a URL: normalized like a property.
      const init = readsType(type) ? own(metadata, CFN_INIT) : undefined;
      if (init !== undefined) {
        const value = n.norm(init, ctx, 0);
        metadata = { ...metadata };
        if (value === undefined || value === NO_VALUE) delete metadata[CFN_INIT];
        else setOwn(metadata, CFN_INIT, value);
      }
      const cdkPath = own(metadata, 'aws:cdk:path');
      resources.push({
        key: resourceKey(key, logicalId),
        stack: ctx.node,
        logicalId,
        type,
        path: typeof cdkPath === 'string' ? cdkPath : pathOf(ctx.raw.constructPaths, logicalId),
        properties: isPlainValue(props) ? props : {},
        metadata,
        conditional: own(def, 'Condition') !== undefined,
        origin: originOf(own(metadata, SAM_ORIGIN)),
      });
    }
  }
  return { stacks: sortedKeys.map((k) => ctxs.get(k)!.node), resources };
}

/** The SAM origin the expansion wrote on a resource it made, if any. */
function originOf(v: unknown): ResourceNode['origin'] {
  if (!isPlain(v) || typeof own(v, 'logicalId') !== 'string') return undefined;
  const property = own(v, 'property');
  return { logicalId: own(v, 'logicalId') as string, ...(typeof property === 'string' ? { property } : {}) };
}

/** The construct path of a resource from the stack's construct paths, when it has one of its own. */
function pathOf(paths: RawStack['constructPaths'], logicalId: string): string | undefined {
  const p = paths && own(paths, logicalId);
  return typeof p === 'string' ? p : undefined;
}

/**
 * Values that stand for a value defined elsewhere (an import, a stack output, a nested stack's output
 * or parameter) are normalized once each and remembered: evaluated again at every use, a chain of
 * outputs that each use the next one several times costs exponential time. While one is being
 * normalized, it is unknown to itself, so that a cycle (an output that refers to itself) ends.
 */
class Normalizer {
  private readonly stacksByName = new Map<string, StackCtx>();
  private readonly exportsByName = new Map<string, { ctx: StackCtx; value: unknown }>();
  private readonly nestedByParent = new Map<string, StackCtx>();
  /** Memo of the values defined elsewhere, by a key per kind (see `memo`). */
  private readonly memoValues = new Map<string, Normalized>();
  /** The keys of `memo` being computed, outermost first (a few: each adds to the depth of the walk). */
  private readonly computing: string[] = [];
  /** Keys of `computing` found to be part of a cycle. */
  private readonly cyclic = new Set<string>();
  /** Resource types by key, across stacks (built when `Fn::Split` first needs one). */
  private types?: Map<string, string>;

  constructor(private readonly ctxs: Map<string, StackCtx>) {
    // In key order, the first of two stacks with one name (or two outputs with one export name) wins,
    // whatever the order the stacks were handed over in.
    const sorted = [...ctxs.keys()].sort().map((k) => ctxs.get(k)!);
    for (const ctx of sorted) {
      if (ctx.raw.name && !this.stacksByName.has(ctx.raw.name)) this.stacksByName.set(ctx.raw.name, ctx);
      const parent = ctx.raw.parent;
      const nestedKey = parent && `${parent.key}\u0000${parent.logicalId}`;
      if (nestedKey && !this.nestedByParent.has(nestedKey)) this.nestedByParent.set(nestedKey, ctx);
    }
    for (const ctx of sorted) {
      const outputs = objectOrEmpty(ctx.raw.template.Outputs);
      for (const name of Object.keys(outputs).sort()) {
        const out = outputs[name];
        const exp = isPlain(out) ? own(out, 'Export') : undefined;
        if (!isPlain(out) || !isPlain(exp)) continue;
        const exportName = this.norm(own(exp, 'Name'), ctx, 0);
        if (typeof exportName === 'string' && !this.exportsByName.has(exportName)) {
          this.exportsByName.set(exportName, { ctx, value: own(out, 'Value') });
        }
      }
    }
  }

  /**
   * The remembered value under `key`, computed once. A value that needs itself (directly or through
   * others) is unknown, and so is every value of that cycle: CloudFormation could not resolve them either.
   */
  private memo(key: string, unknown: () => Normalized, compute: () => Normalized): Normalized {
    const open = this.computing.indexOf(key);
    if (open >= 0) {
      for (const k of this.computing.slice(open)) this.cyclic.add(k);
      return this.memoValues.get(key);
    }
    if (this.memoValues.has(key)) return this.memoValues.get(key);
    this.memoValues.set(key, unknown()); // what the cycle sees while resolving
    this.computing.push(key);
    let value: Normalized;
    try {
      value = compute();
    } finally {
      this.computing.pop();
    }
    if (this.cyclic.delete(key)) value = unknown();
    this.memoValues.set(key, value);
    return value;
  }

  public norm(raw: unknown, ctx: StackCtx, depth: number): Normalized {
    if (depth > MAX_DEPTH) return new Opaque('intrinsic', 'too-deep');
    if (raw === undefined) return undefined;
    if (typeof raw === 'string') return raw.includes(MARK) ? this.markedString(raw, depth) : raw;
    if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') return raw;
    // Copy on write: a list or mapping that normalizes to itself (most of a template: literals) is
    // kept as it is, not rebuilt. Nothing writes to normalized values.
    if (Array.isArray(raw)) {
      let out: Value[] | undefined;
      for (let i = 0; i < raw.length; i++) {
        const x = raw[i];
        const v = this.norm(x, ctx, depth + 1);
        if (out === undefined) {
          if (v === x) continue;
          out = raw.slice(0, i) as Value[];
        }
        if (v !== NO_VALUE && v !== undefined) out.push(v);
      }
      return out ?? (raw as Value[]);
    }
    if (!isPlain(raw)) return new Opaque('intrinsic', 'non-json');
    const keys = Object.keys(raw);
    if (keys.length === 1) {
      const k = keys[0];
      if (k === 'Ref' || k.startsWith('Fn::')) return this.intrinsic(k, raw[k], ctx, depth);
    }
    let out: ValueObject | undefined;
    for (const k of keys) {
      const x = raw[k];
      const v = this.norm(x, ctx, depth + 1);
      if (v === x) continue;
      out ??= { ...(raw as ValueObject) }; // a shallow copy, `__proto__` too an ordinary key
      if (v !== NO_VALUE && v !== undefined) setOwn(out, k, v);
      else delete out[k];
    }
    return out ?? (raw as ValueObject);
  }

  private intrinsic(fn: string, arg: unknown, ctx: StackCtx, depth: number): Normalized {
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg, ctx, depth) : new Opaque('intrinsic', 'Ref');
      case 'Fn::GetAtt':
        return this.getAtt(arg, ctx, depth);
      case 'Fn::Join':
        return this.join(arg, ctx, depth);
      case 'Fn::Sub':
        return this.sub(arg, ctx, depth);
      case 'Fn::ImportValue':
        return this.importValue(arg, ctx, depth);
      case 'Fn::GetStackOutput':
        return this.getStackOutput(arg, ctx, depth);
      case 'Fn::Base64':
        return this.norm(arg, ctx, depth + 1);
      case 'Fn::Select':
        return this.select(arg, ctx, depth);
      case 'Fn::FindInMap':
        return this.findInMap(arg, ctx, depth);
      case 'Fn::Split':
        return this.split(arg, ctx, depth);
      default:
        // Fn::If, Fn::GetAZs, Fn::Cidr, Fn::ToJsonString, Fn::Transform …: not knowable here.
        return new Opaque('intrinsic', `${fn}:${stableText(arg)}`);
    }
  }

  private ref(name: string, ctx: StackCtx, depth: number): Normalized {
    if (name.startsWith('AWS::')) return this.pseudo(name, ctx);
    const resources = objectOrEmpty(ctx.raw.template.Resources);
    if (isPlain(own(resources, name))) return new ResRef(resourceKey(ctx.raw.key, name));
    const params = objectOrEmpty(ctx.raw.template.Parameters);
    if (hasOwn(params, name)) {
      const unknown = () => new Opaque('param', `${ctx.raw.key}#${name}`);
      const bound = ctx.raw.parameterValues ? own(ctx.raw.parameterValues, name) : undefined;
      if (typeof bound === 'string') return boundParameter(own(params, name), bound);
      // A nested stack's parameter has the value its parent passes in.
      const parent = ctx.raw.parent && this.ctxs.get(ctx.raw.parent.key);
      if (parent) {
        const stackRes = own(objectOrEmpty(parent.raw.template.Resources), ctx.raw.parent!.logicalId);
        const props = isPlain(stackRes) ? own(stackRes, 'Properties') : undefined;
        const passed = isPlain(props) ? own(props, 'Parameters') : undefined;
        const value = isPlain(passed) ? own(passed, name) : undefined;
        if (value !== undefined) {
          return this.memo(`param\u0000${ctx.raw.key}\u0000${name}`, unknown, () =>
            this.norm(value, parent, depth + 1),
          );
        }
      }
      return unknown();
    }
    return new Opaque('unknown-ref', `${ctx.raw.key}#${name}`);
  }

  private pseudo(name: string, ctx: StackCtx): Normalized {
    const region = ctx.node.region;
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Region':
        return region ?? new Opaque('pseudo', name);
      case 'AWS::AccountId':
        return ctx.node.account ?? new Opaque('pseudo', name);
      case 'AWS::StackName':
        return ctx.node.name ?? new Opaque('pseudo', `${name}#${ctx.raw.key}`);
      case 'AWS::URLSuffix':
        if (!region) return new Opaque('pseudo', name);
        return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::Partition':
        if (!region) return new Opaque('pseudo', name);
        if (region.startsWith('cn-')) return 'aws-cn';
        return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
      default:
        return new Opaque('pseudo', name);
    }
  }

  private getAtt(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    let logicalId: unknown;
    let attr: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      if (dot <= 0) return new Opaque('intrinsic', `Fn::GetAtt:${arg}`);
      logicalId = arg.slice(0, dot);
      attr = arg.slice(dot + 1);
    } else if (Array.isArray(arg) && arg.length >= 2) {
      [logicalId, attr] = arg;
      if (arg.length > 2) {
        attr = arg.slice(1).every((x) => typeof x === 'string') ? arg.slice(1).join('.') : stableText(arg.slice(1));
      }
    }
    if (typeof logicalId !== 'string') return new Opaque('intrinsic', `Fn::GetAtt:${stableText(arg)}`);
    const attrName = typeof attr === 'string' ? attr : stableText(this.norm(attr, ctx, depth + 1));
    const res = own(objectOrEmpty(ctx.raw.template.Resources), logicalId);
    if (!isPlain(res)) return new Opaque('unknown-ref', `${ctx.raw.key}#${logicalId}.${attrName}`);
    const ref = new ResRef(resourceKey(ctx.raw.key, logicalId), attrName);
    const type = own(res, 'Type');
    const nests = type === 'AWS::CloudFormation::Stack' || type === 'AWS::Serverless::Application';
    if (nests && attrName.startsWith('Outputs.')) {
      const nested = this.nestedByParent.get(`${ctx.raw.key}\u0000${logicalId}`);
      const outputName = attrName.slice('Outputs.'.length);
      const out = nested && own(objectOrEmpty(nested.raw.template.Outputs), outputName);
      if (nested && isPlain(out)) {
        const value = own(out, 'Value');
        return this.memo(
          `nested-output\u0000${nested.raw.key}\u0000${outputName}`,
          () => ref,
          () => this.norm(value, nested, depth + 1),
        );
      }
    }
    return ref;
  }

  private join(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
      return new Opaque('intrinsic', `Fn::Join:${stableText(arg)}`);
    }
    const sep = arg[0];
    const items = this.norm(arg[1], ctx, depth + 1);
    // A list known only as a whole (a list attribute, `Fn::Split`): the string is derived from it, as
    // CDK's cross-stack export of a list attribute (`Fn::Join` `||`, split again by the importer) is.
    if (!Array.isArray(items)) return new Opaque('intrinsic', `Fn::Join:${stableText(arg)}`, derivable(items));
    const parts: Array<Part | Concat> = [];
    items.forEach((item, i) => {
      if (i > 0) parts.push(sep);
      parts.push(toPart(item));
    });
    return capped(concat(parts));
  }

  private sub(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    let text: unknown = arg;
    let vars: { [k: string]: unknown } = {};
    if (Array.isArray(arg)) {
      text = arg[0];
      vars = isPlain(arg[1]) ? arg[1] : {};
    }
    if (typeof text !== 'string') return new Opaque('intrinsic', `Fn::Sub:${stableText(arg)}`);
    if (depth > MAX_DEPTH) return new Opaque('intrinsic', 'too-deep');
    const parts: Array<Part | Concat> = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      parts.push(text.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1].trim();
      if (name.startsWith('!')) {
        parts.push('${' + name.slice(1) + '}');
      } else if (hasOwn(vars, name)) {
        parts.push(toPart(this.norm(vars[name], ctx, depth + 1)));
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        parts.push(toPart(this.getAtt(name, ctx, depth + 1)));
      } else {
        parts.push(toPart(this.ref(name, ctx, depth + 1)));
      }
    }
    parts.push(text.slice(last));
    return capped(concat(parts));
  }

  private importValue(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    const name = this.norm(arg, ctx, depth + 1);
    if (typeof name !== 'string') return new Opaque('import', stableText(name));
    const unknown = () => new Opaque('import', name);
    return this.memo(`import\u0000${name}`, unknown, () => {
      const exp = this.exportsByName.get(name);
      return exp ? this.norm(exp.value, exp.ctx, depth + 1) : unknown();
    });
  }

  private getStackOutput(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    const spec = isPlain(arg) ? arg : {};
    const stackName = this.norm(own(spec, 'StackName'), ctx, depth + 1);
    const outputName = this.norm(own(spec, 'OutputName'), ctx, depth + 1);
    if (typeof stackName === 'string' && typeof outputName === 'string') {
      const unknown = () => new Opaque('stack-output', `${stackName}.${outputName}`);
      const producer = this.stacksByName.get(stackName);
      const out = producer && own(objectOrEmpty(producer.raw.template.Outputs), outputName);
      if (!producer || !isPlain(out)) return unknown();
      const value = own(out, 'Value');
      return this.memo(`stack-output\u0000${producer.raw.key}\u0000${outputName}`, unknown, () =>
        this.norm(value, producer, depth + 1),
      );
    }
    return new Opaque('stack-output', stableText(arg));
  }

  private select(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    if (!Array.isArray(arg) || arg.length !== 2) return new Opaque('intrinsic', `Fn::Select:${stableText(arg)}`);
    const index = this.norm(arg[0], ctx, depth + 1);
    const i = typeof index === 'number' ? index : typeof index === 'string' ? Number(index) : NaN;
    // Over an `Fn::Split`, the items before the first part that may hold the separator are known,
    // even when the rest of the list is not (CDK's `Fn.select(2, Fn.split('/', api.url))`).
    const splitArg = isPlain(arg[1]) && Object.keys(arg[1]).length === 1 ? own(arg[1], 'Fn::Split') : undefined;
    const cut = splitArg !== undefined ? this.splitItems(splitArg, ctx, depth + 1) : undefined;
    if (cut && Number.isInteger(i) && i >= 0 && i < cut.exact) return cut.items[i];
    const items = cut ? this.splitResult(splitArg, cut) : this.norm(arg[1], ctx, depth + 1);
    if (Array.isArray(items) && Number.isInteger(i) && i >= 0 && i < items.length) return items[i];
    return new Opaque('intrinsic', `Fn::Select:${stableText(arg)}`, derivable(items));
  }

  /**
   * `Fn::Split` of a string whose parts are known well enough: a list when every part is, else an
   * unknown list that remembers the string it cuts.
   */
  private split(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    return this.splitResult(arg, this.splitItems(arg, ctx, depth));
  }

  private splitResult(arg: unknown, cut: SplitItems | undefined): Normalized {
    if (cut && cut.items.length > 0 && cut.exact === cut.items.length) return cut.items;
    return new Opaque('intrinsic', `Fn::Split:${stableText(arg)}`, derivable(cut?.source));
  }

  /**
   * The items `Fn::Split` makes of a string, and how many of them (from the start) are certain: a
   * non-literal part that may hold a character of the separator (a parameter, most attributes)
   * makes its item and every later one uncertain. Parts that cannot hold it: an API's or a
   * deployment's id, a stage name, a domain name, an endpoint id, and the pseudo parameters for the
   * region, URL suffix, account and partition, each by the characters it is made of.
   */
  private splitItems(arg: unknown, ctx: StackCtx, depth: number): SplitItems | undefined {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || arg[0] === '') return undefined;
    const sep = arg[0];
    const source = this.norm(arg[1], ctx, depth + 1);
    const parts =
      typeof source === 'string'
        ? [source]
        : source instanceof Concat
          ? source.parts
          : source instanceof ResRef || source instanceof Opaque
            ? [source]
            : undefined;
    if (!parts) return { items: [], exact: 0, source };
    const items: Array<Part | Concat> = [];
    let exact = Infinity;
    let cur: Part[] = [];
    for (const p of parts) {
      if (typeof p === 'string') {
        const pieces = p.split(sep);
        cur.push(pieces[0]);
        for (const piece of pieces.slice(1)) {
          items.push(splitItem(cur));
          cur = [piece];
        }
      } else {
        if (exact === Infinity && !this.holdsNone(p, sep)) exact = items.length;
        cur.push(p);
      }
      if (items.length > MAX_PARTS) return { items: [], exact: 0, source };
    }
    items.push(splitItem(cur));
    return { items, exact: Math.min(exact, items.length), source };
  }

  /** Whether a non-literal part is sure to hold no character of `sep`. */
  private holdsNone(p: ResRef | Opaque, sep: string): boolean {
    let chars: RegExp | undefined;
    if (p instanceof Opaque) {
      chars = p.kind === 'pseudo' ? PSEUDO_CHARS[p.id] : undefined;
    } else if (p.attr === undefined) {
      chars = REF_CHARS[this.typeOf(p.key) ?? ''];
    }
    if (!chars) return false;
    for (const c of sep) if (chars.test(c)) return false;
    return true;
  }

  private typeOf(key: string): string | undefined {
    if (!this.types) {
      this.types = new Map();
      for (const ctx of this.ctxs.values()) {
        const res = objectOrEmpty(ctx.raw.template.Resources);
        for (const id of Object.keys(res)) {
          const type = isPlain(res[id]) ? own(res[id] as { [k: string]: unknown }, 'Type') : undefined;
          if (typeof type === 'string') this.types.set(resourceKey(ctx.raw.key, id), type);
        }
      }
    }
    return this.types.get(key);
  }

  private findInMap(arg: unknown, ctx: StackCtx, depth: number): Normalized {
    if (Array.isArray(arg) && arg.length >= 3) {
      const [m, k1, k2] = arg.slice(0, 3).map((x) => this.norm(x, ctx, depth + 1));
      const mappings = objectOrEmpty(ctx.raw.template.Mappings);
      if (typeof m === 'string' && typeof k1 === 'string' && typeof k2 === 'string') {
        const top = own(mappings, m);
        const second = isPlain(top) ? own(top, k1) : undefined;
        const value = isPlain(second) ? own(second, k2) : undefined;
        if (value !== undefined) return this.norm(value, ctx, depth + 1);
      }
    }
    return new Opaque('intrinsic', `Fn::FindInMap:${stableText(arg)}`);
  }

  /** A string with cross-stack markers: each marker is the producer's value. */
  private markedString(raw: string, depth: number): Normalized {
    const parts: Array<Part | Concat> = [];
    let last = 0;
    let only: Normalized;
    for (const m of raw.matchAll(MARK_RE)) {
      parts.push(raw.slice(last, m.index));
      last = m.index! + m[0].length;
      only = this.crossStack(m[1], depth);
      parts.push(toPart(only));
    }
    parts.push(raw.slice(last));
    const single = parts.length === 3 && parts[0] === '' && parts[2] === '';
    return single && only !== undefined ? only : concat(parts);
  }

  private crossStack(encoded: string, depth: number): Normalized {
    try {
      const arg = JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8')) as { stack?: unknown; value?: unknown };
      const producer = typeof arg.stack === 'string' ? this.ctxs.get(arg.stack) : undefined;
      if (producer) return this.norm(arg.value, producer, depth + 1);
    } catch {
      // not a marker of ours after all: unknown
    }
    return new Opaque('unknown-ref', encoded.slice(0, 60));
  }
}

/**
 * The value of a parameter bound on the command line: a list for the list types
 * (`CommaDelimitedList`, `List<…>`), as `Ref` gives them; unknown for the SSM parameter types
 * (the value bound is the SSM parameter's name); else the string.
 */
function boundParameter(declaration: unknown, value: string): Normalized {
  const type = isPlain(declaration) ? own(declaration, 'Type') : undefined;
  // An SSM parameter type is given the parameter's name: CloudFormation reads its value at deploy time.
  if (typeof type === 'string' && type.startsWith('AWS::SSM::Parameter::Value<')) {
    return new Opaque('param', `ssm:${value}`);
  }
  if (typeof type === 'string' && (type === 'CommaDelimitedList' || type.startsWith('List<'))) {
    return value.split(',').map((v) => v.trim());
  }
  return capped(value);
}

/** One item of a split: a part on its own is itself (a subnet's `Ref`), else the string its parts make. */
function splitItem(parts: Part[]): Part | Concat {
  const nonEmpty = parts.filter((p) => p !== '');
  return nonEmpty.length === 1 && typeof nonEmpty[0] !== 'string' ? nonEmpty[0] : concat(parts);
}

/** A value worth remembering as the source of an unknown one: a resource reference or another unknown. */
function derivable(v: Normalized): Value | undefined {
  return v instanceof ResRef || v instanceof Opaque ? v : undefined;
}

/** The string, or an unknown when it is too large (see MAX_STRING_LENGTH). */
function capped(v: string | Concat): string | Concat | Opaque {
  if (typeof v === 'string') return v.length > MAX_STRING_LENGTH ? new Opaque('intrinsic', 'too-large') : v;
  if (v.parts.length > MAX_PARTS) return new Opaque('intrinsic', 'too-large');
  let length = 0;
  for (const p of v.parts) if (typeof p === 'string') length += p.length;
  return length > MAX_STRING_LENGTH ? new Opaque('intrinsic', 'too-large') : v;
}

function toPart(v: Normalized): Part | Concat {
  if (v === undefined || v === NO_VALUE || v === null) return '';
  if (typeof v === 'string' || v instanceof ResRef || v instanceof Opaque || v instanceof Concat) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return new Opaque('intrinsic', stableText(v));
}

function isPlain(v: unknown): v is { [key: string]: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  // Plain objects only (any realm): the prototype is a root prototype, or there is none.
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isPlainValue(v: Normalized): v is ValueObject {
  return isPlain(v);
}

function objectOrEmpty(v: unknown): { [key: string]: unknown } {
  return isPlain(v) ? v : {};
}

/** A deterministic short text of any value, for the ids of unknown values. */
function stableText(v: unknown): string {
  try {
    const s = boundedJson(v, (x) =>
      x instanceof ResRef ? { ref: x.key, attr: x.attr } : x instanceof Opaque ? { opaque: x.id } : x,
    );
    return s === undefined ? 'undefined' : s.length > 200 ? s.slice(0, 200) : s;
  } catch {
    return 'unprintable';
  }
}
