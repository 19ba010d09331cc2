import {
  CfnElement,
  CfnResource,
  DefaultTokenResolver,
  IFragmentConcatenator,
  IPostProcessor,
  IResolvable,
  IResolveContext,
  Reference,
  Stack,
  Token,
  TokenizedStringFragments,
  Tokenization,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { encodeCrossStackRef } from './intrinsics';
import { HINTS_METADATA_KEY } from '../hints-metadata';
import { RawStack } from './types';

/** How much of the construct tree to read. */
export interface TreeReadOptions {
  /**
   * Whether the checks read the properties of resources of this type. The others are not rendered:
   * they are kept (type and construct path only) when a rendered value refers to them or when they
   * hold hints, and left out otherwise. Default: every type is read.
   */
  readonly readsType?: (type: string) => boolean;
  /** Filled in as the tree is read: how often the reader took its slow paths (for tests and the benchmark). */
  readonly stats?: TreeReadStats;
}

/** What a read of the construct tree did, counted. */
export interface TreeReadStats {
  /** Elements whose logical id was resolved, each once. */
  logicalIds: number;
  /** Of those, the ones resolved through CDK's resolver because the element could not say it directly. */
  logicalIdFallbacks: number;
  /** Elements rendered to their template fragments. */
  rendered: number;
  /** Tokens answered directly: logical ids and same-stack `Ref` / `Fn::GetAtt` references (see `CrossStackAwareResolver`). */
  tokensDirect: number;
  /** Tokens resolved as CDK's default resolver does (lazy values, policy documents, other renderings). */
  tokensResolved: number;
}

/** Fresh counters, all zero. */
export function newTreeReadStats(): TreeReadStats {
  return { logicalIds: 0, logicalIdFallbacks: 0, rendered: 0, tokensDirect: 0, tokensResolved: 0 };
}

/**
 * Reads the construct tree of an app (all stacks, nested stacks and Stages) into raw stacks, in one
 * pass. Works before synthesis (inside an aspect) and after it (inside a validation plugin).
 *
 * Constructs are recognised with the static checks that work across copies of aws-cdk-lib
 * (`Stack.isStack`, `CfnElement.isCfnElement`, `Reference.isReference`), never `instanceof`:
 * monorepos often load two copies, and an `instanceof` miss would make the checks silently blind.
 *
 * Each element's logical id is resolved once, however many values refer to it (CDK computes it
 * again at every reference: a hash of the construct path, and for an API deployment a hash of all
 * its methods).
 */
export function stacksFromConstructTree(root: IConstruct, options: TreeReadOptions = {}): RawStack[] {
  return new TreeReader(options.readsType ?? (() => true), options.stats ?? newTreeReadStats()).read(root);
}

class TreeReader {
  private readonly builders = new Map<IConstruct, StackBuilder>();
  /** The element each logical-id token stands for. */
  private readonly idTokens = new Map<IResolvable, CfnElement>();
  /** The element each logical-id string (`element.logicalId`, a token) stands for. */
  private readonly idStrings = new Map<string, CfnElement>();
  /** Logical ids resolved so far (undefined: it does not resolve to a literal). */
  private readonly logicalIds = new Map<CfnElement, string | undefined>();
  private readonly resolver = new CrossStackAwareResolver(this);

  constructor(
    private readonly readsType: (type: string) => boolean,
    public readonly stats: TreeReadStats,
  ) {}

  public read(root: IConstruct): RawStack[] {
    const elements: CfnElement[] = [];
    const stack: IConstruct[] = [root];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (Stack.isStack(c)) this.builders.set(c, new StackBuilder(c, this));
      if (CfnElement.isCfnElement(c)) {
        elements.push(c);
        const token = Tokenization.reverse(c.logicalId);
        if (token) {
          this.idTokens.set(token, c);
          this.idStrings.set(c.logicalId, c);
        }
      }
      const children = c.node.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    const skipped: CfnResource[] = [];
    for (const el of elements) {
      if (CfnResource.isCfnResource(el) && !this.readsType(el.cfnResourceType) && !holdsHints(el)) skipped.push(el);
      else this.builderOf(el.stack).add(el, this.render(el));
    }
    // A resource that is not read, but that a read value names, is still a resource of the app.
    for (const el of skipped) {
      if (this.logicalIds.has(el)) this.builderOf(el.stack).addUnread(el);
    }
    return [...this.builders.values()].map((b) => b.build());
  }

  /**
   * The logical id of an element, resolved once. It asks the element for it directly (what its
   * `logicalId` token produces: the override, or the stack's allocation) and resolves only an answer
   * that is itself a token (an API deployment's hash of its methods); resolving `logicalId` through
   * CDK's resolver costs five times as much. An element without that method (another aws-cdk-lib
   * version) is resolved the slow way, through `fallback`.
   */
  public logicalIdOf(
    el: CfnElement,
    fallback: () => unknown = () => el.stack.resolve(el.logicalId),
  ): string | undefined {
    if (this.logicalIds.has(el)) return this.logicalIds.get(el);
    this.stats.logicalIds++;
    let id: string | undefined;
    try {
      const synthesize = (el as unknown as { _synthesizeLogicalId?: () => unknown })._synthesizeLogicalId;
      let r = typeof synthesize === 'function' ? synthesize.call(el) : undefined;
      if (typeof r !== 'string') {
        this.stats.logicalIdFallbacks++;
        r = fallback();
      } else if (Token.isUnresolved(r)) {
        r = el.stack.resolve(r);
      }
      id = typeof r === 'string' && !Token.isUnresolved(r) ? r : undefined;
    } catch {
      id = undefined;
    }
    this.logicalIds.set(el, id);
    return id;
  }

  /** The element a string is the logical-id token of, if it is one. */
  public elementOfIdString(s: string): CfnElement | undefined {
    return this.idStrings.get(s);
  }

  /** The element a token is the logical id of, if it is one. */
  public elementOfIdToken(t: IResolvable): CfnElement | undefined {
    return this.idTokens.get(t);
  }

  private builderOf(s: Stack): StackBuilder {
    let b = this.builders.get(s);
    if (!b) this.builders.set(s, (b = new StackBuilder(s, this)));
    return b;
  }

  /** Renders one element to its template fragment, references resolved; undefined when that fails. */
  private render(el: CfnElement): Record<string, unknown> | undefined {
    this.stats.rendered++;
    try {
      const raw = (el as unknown as { _toCloudFormation(): object })._toCloudFormation();
      const resolved = Tokenization.resolve(raw, { scope: el, resolver: this.resolver, preparing: false });
      return typeof resolved === 'object' && resolved !== null ? resolved : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Whether a resource holds the library's hints (`ApiReachability.of(x)`): those are read whatever its type. */
function holdsHints(el: CfnResource): boolean {
  const metadata = el.cfnOptions.metadata;
  return typeof metadata === 'object' && metadata !== null && HINTS_METADATA_KEY in metadata;
}

type Section = 'Resources' | 'Outputs' | 'Parameters' | 'Mappings' | 'Conditions';
const SECTIONS: Section[] = ['Resources', 'Outputs', 'Parameters', 'Mappings', 'Conditions'];

class StackBuilder {
  private readonly sections: Record<Section, Record<string, unknown>> = {
    Resources: {},
    Outputs: {},
    Parameters: {},
    Mappings: {},
    Conditions: {},
  };

  constructor(
    private readonly stack: Stack,
    private readonly reader: TreeReader,
  ) {}

  public add(el: CfnElement, fragment: Record<string, unknown> | undefined): void {
    for (const section of SECTIONS) {
      const entries = fragment?.[section];
      if (typeof entries !== 'object' || entries === null) continue;
      for (const [id, def] of Object.entries(entries as Record<string, unknown>)) {
        this.sections[section][id] =
          section === 'Resources' && typeof def === 'object' && def !== null ? withPath(def, el) : def;
      }
    }
    // The element could not be rendered (odd escape-hatch values, failing lazies): keep the
    // resource, with unknown properties, so that references to it still land somewhere.
    if (!fragment && CfnResource.isCfnResource(el)) this.addUnread(el);
  }

  /** A resource whose properties are not read: its type and construct path. */
  public addUnread(el: CfnResource): void {
    const logicalId = this.reader.logicalIdOf(el);
    if (!logicalId) return;
    this.sections.Resources[logicalId] = {
      Type: el.cfnResourceType,
      Metadata: { 'aws:cdk:path': el.node.path },
      ...(el.cfnOptions.condition ? { Condition: 'unknown' } : {}),
    };
  }

  public build(): RawStack {
    const s = this.stack;
    const parentStack = s.nestedStackParent;
    const nestedResource = s.nestedStackResource;
    const parentLogicalId =
      parentStack && nestedResource ? this.reader.logicalIdOf(nestedResource as CfnElement) : undefined;
    return {
      key: s.node.path,
      name: known(s, s.stackName),
      region: known(s, s.region),
      account: known(s, s.account),
      parent: parentStack && parentLogicalId ? { key: parentStack.node.path, logicalId: parentLogicalId } : undefined,
      template: this.sections,
    };
  }
}

/** The resolved value of a token, or undefined when it does not resolve to a literal string. */
function known(stack: Stack, value: string): string | undefined {
  if (!Token.isUnresolved(value)) return value;
  try {
    const r = stack.resolve(value);
    return typeof r === 'string' && !Token.isUnresolved(r) ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The resource definition with its construct path in its metadata. The definition is the reader's
 * own (a fresh product of the resolution), so it is completed in place, not copied; its metadata
 * is copied, being small and possibly shared by a token that answers the same object every time.
 */
function withPath(def: object, el: CfnElement): object {
  const d = def as { Metadata?: Record<string, unknown> };
  d.Metadata = { ...(d.Metadata ?? {}), 'aws:cdk:path': el.node.path };
  return d;
}

/** What {@link CrossStackAwareResolver.direct} returns for a token it does not resolve itself. */
const NOT_DIRECT = Symbol('not direct');

/**
 * Resolves tokens as CloudFormation would, except that a reference to a resource of another stack
 * becomes a cross-stack marker (see `encodeCrossStackRef`) holding the intrinsic as the producer stack sees it,
 * tied to the producer through `Reference.target`, never guessed from logical ids.
 *
 * CDK's own resolver gives every token, also each one inside a string, a context and a resolution
 * of its own, and resolves what the token answers once more. This one answers the two kinds of token
 * that make up most of a template without that (see `direct`): the logical ids of the app's
 * elements, and `Ref` / `Fn::GetAtt` references to them. Every other token (lazy values, policy
 * documents, tags, `Fn::Sub` renderings, numbers and lists) is resolved as CDK's default resolver
 * does: what the token answers, resolved, then handed to the post-processor it registered.
 */
class CrossStackAwareResolver extends DefaultTokenResolver {
  private readonly cfnConcat = new CloudFormationConcat();

  constructor(private readonly reader: TreeReader) {
    super(new CloudFormationConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    const direct = this.direct(t, context);
    if (direct !== NOT_DIRECT) return direct;
    if (Reference.isReference(t) && CfnElement.isCfnElement(t.target)) {
      const producer = t.target.stack;
      if (producer !== Stack.of(context.scope)) {
        const value = Tokenization.resolve(t, { scope: t.target, resolver: this, preparing: false });
        return encodeCrossStackRef(producer.node.path, value);
      }
    }
    this.reader.stats.tokensResolved++;
    return postProcessor.postProcess(context.resolve(t.resolve(context)), context);
  }

  public resolveString(fragments: TokenizedStringFragments, context: IResolveContext): unknown {
    return fragments
      .mapTokens({
        mapToken: (t: IResolvable) => {
          const direct = this.direct(t, context);
          return direct !== NOT_DIRECT ? direct : context.resolve(t);
        },
      })
      .join(this.cfnConcat);
  }

  /**
   * A token resolved without a resolution of its own, or `NOT_DIRECT`:
   * - the logical id of an element of the app: resolved once (`logicalIdOf`);
   * - a reference (`Ref`, `Fn::GetAtt`) to an element of the same stack whose intrinsic names the
   *   element by its logical-id token, as CDK writes them: the intrinsic with that id, when the
   *   reference registers no post-processor. Anything else it answers (an `Fn::Sub` or a
   *   `"Id.Attr"` rendering, another shape) is resolved as CDK does.
   */
  private direct(t: IResolvable, context: IResolveContext): unknown {
    const el = this.reader.elementOfIdToken(t);
    if (el) {
      this.reader.stats.tokensDirect++;
      return this.reader.logicalIdOf(el, () => context.resolve(t.resolve(context))) ?? t.toString();
    }
    if (!Reference.isReference(t) || !CfnElement.isCfnElement(t.target)) return NOT_DIRECT;
    if (t.target.stack !== Stack.of(context.scope)) return NOT_DIRECT;
    let postProcessor: IPostProcessor | undefined;
    const own: IResolveContext = {
      scope: context.scope,
      preparing: context.preparing,
      documentPath: context.documentPath,
      registerPostProcessor: (pp) => {
        postProcessor = pp;
      },
      resolve: (x, options) => context.resolve(x, options),
    };
    const value = t.resolve(own);
    const intrinsic = postProcessor ? undefined : this.refIntrinsic(value);
    if (intrinsic) {
      this.reader.stats.tokensDirect++;
      return intrinsic;
    }
    this.reader.stats.tokensResolved++;
    const resolved = context.resolve(value);
    return postProcessor ? postProcessor.postProcess(resolved, own) : resolved;
  }

  /** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attribute] }` for such an intrinsic naming an element by its logical-id token. */
  private refIntrinsic(value: unknown): object | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    if (keys.length !== 1) return undefined;
    const v = value as Record<string, unknown>;
    if (keys[0] === 'Ref') {
      const id = this.idOfString(v.Ref);
      return id === undefined ? undefined : { Ref: id };
    }
    if (keys[0] === 'Fn::GetAtt') {
      const args = v['Fn::GetAtt'];
      if (!Array.isArray(args) || args.length !== 2) return undefined;
      const attribute = args[1];
      if (typeof attribute !== 'string' || Token.isUnresolved(attribute)) return undefined;
      const id = this.idOfString(args[0]);
      return id === undefined ? undefined : { 'Fn::GetAtt': [id, attribute] };
    }
    return undefined;
  }

  /** The logical id a string stands for when it is exactly an element's logical-id token. */
  private idOfString(s: unknown): string | undefined {
    if (typeof s !== 'string') return undefined;
    const el = this.reader.elementOfIdString(s);
    return el ? this.reader.logicalIdOf(el) : undefined;
  }
}

/** Joins string fragments as CloudFormation does: literals concatenate, anything else becomes a `Fn::Join`. */
class CloudFormationConcat implements IFragmentConcatenator {
  public join(left: unknown, right: unknown): unknown {
    if (left === undefined) return right;
    if (right === undefined) return left;
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    return { 'Fn::Join': ['', [left, right]] };
  }
}
