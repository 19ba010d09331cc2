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
  return new TreeReader(options.readsType ?? (() => true)).read(root);
}

class TreeReader {
  private readonly builders = new Map<IConstruct, StackBuilder>();
  /** The element each logical-id token stands for. */
  private readonly idTokens = new Map<IResolvable, CfnElement>();
  /** Logical ids resolved so far (undefined: it does not resolve to a literal). */
  private readonly logicalIds = new Map<CfnElement, string | undefined>();
  private readonly resolver = new CrossStackAwareResolver(this);

  constructor(private readonly readsType: (type: string) => boolean) {}

  public read(root: IConstruct): RawStack[] {
    const elements: CfnElement[] = [];
    const stack: IConstruct[] = [root];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (Stack.isStack(c)) this.builders.set(c, new StackBuilder(c, this));
      if (CfnElement.isCfnElement(c)) {
        elements.push(c);
        const token = Tokenization.reverse(c.logicalId);
        if (token) this.idTokens.set(token, c);
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

  /** The logical id of an element, resolved once. */
  public logicalIdOf(
    el: CfnElement,
    resolve: () => unknown = () => el.stack.resolve(el.logicalId),
  ): string | undefined {
    if (this.logicalIds.has(el)) return this.logicalIds.get(el);
    let id: string | undefined;
    try {
      const r = resolve();
      id = typeof r === 'string' && !Token.isUnresolved(r) ? r : undefined;
    } catch {
      id = undefined;
    }
    this.logicalIds.set(el, id);
    return id;
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

function withPath(def: object, el: CfnElement): object {
  const d = def as { Metadata?: Record<string, unknown> };
  return { ...d, Metadata: { ...(d.Metadata ?? {}), 'aws:cdk:path': el.node.path } };
}

/**
 * Resolves tokens as CloudFormation would, except that a reference to a resource of another stack
 * becomes a cross-stack marker (see `encodeCrossStackRef`) holding the intrinsic as the producer stack sees it,
 * tied to the producer through `Reference.target`, never guessed from logical ids.
 */
class CrossStackAwareResolver extends DefaultTokenResolver {
  constructor(private readonly reader: TreeReader) {
    super(new CloudFormationConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    const el = this.reader.elementOfIdToken(t);
    if (el) return this.reader.logicalIdOf(el, () => super.resolveToken(t, context, postProcessor)) ?? t.toString();
    if (Reference.isReference(t) && CfnElement.isCfnElement(t.target)) {
      const producer = t.target.stack;
      const consumer = Stack.of(context.scope);
      if (producer !== consumer) {
        const value = Tokenization.resolve(t, { scope: t.target, resolver: this, preparing: false });
        return encodeCrossStackRef(producer.node.path, value);
      }
    }
    return super.resolveToken(t, context, postProcessor);
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
