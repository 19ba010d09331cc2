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
import { RawStack } from './types';

/**
 * Reads the construct tree of an app (all stacks, nested stacks and Stages) into raw stacks, in one
 * pass. Works before synthesis (inside an aspect) and after it (inside a validation plugin).
 *
 * Constructs are recognised with the static checks that work across copies of aws-cdk-lib
 * (`Stack.isStack`, `CfnElement.isCfnElement`, `Reference.isReference`), never `instanceof`:
 * monorepos often load two copies, and an `instanceof` miss would make the checks silently blind.
 */
export function stacksFromConstructTree(root: IConstruct): RawStack[] {
  const builders = new Map<IConstruct, StackBuilder>();
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (Stack.isStack(c)) builders.set(c, new StackBuilder(c));
    if (CfnElement.isCfnElement(c)) {
      const owner = builders.get(c.stack) ?? newBuilder(builders, c.stack);
      owner.add(c);
    }
    const children = c.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return [...builders.values()].map((b) => b.build());
}

function newBuilder(builders: Map<IConstruct, StackBuilder>, s: Stack): StackBuilder {
  const b = new StackBuilder(s);
  builders.set(s, b);
  return b;
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

  constructor(private readonly stack: Stack) {}

  public add(el: CfnElement): void {
    const fragment = renderElement(el);
    for (const section of SECTIONS) {
      const entries = fragment?.[section];
      if (typeof entries !== 'object' || entries === null) continue;
      for (const [id, def] of Object.entries(entries as Record<string, unknown>)) {
        this.sections[section][id] =
          section === 'Resources' && typeof def === 'object' && def !== null ? withPath(def, el) : def;
      }
    }
    if (!fragment && CfnResource.isCfnResource(el)) {
      // The element could not be rendered (odd escape-hatch values, failing lazies): keep the
      // resource, with unknown properties, so that references to it still land somewhere.
      const logicalId = known(this.stack, el.logicalId);
      if (logicalId) {
        this.sections.Resources[logicalId] = {
          Type: el.cfnResourceType,
          Metadata: { 'aws:cdk:path': el.node.path },
        };
      }
    }
  }

  public build(): RawStack {
    const s = this.stack;
    const parentStack = s.nestedStackParent;
    const nestedResource = s.nestedStackResource;
    const parentLogicalId =
      parentStack && nestedResource ? known(parentStack, (nestedResource as CfnElement).logicalId) : undefined;
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

/** Renders one element to its template fragment, references resolved; undefined when that fails. */
function renderElement(el: CfnElement): Record<string, unknown> | undefined {
  try {
    const raw = (el as unknown as { _toCloudFormation(): object })._toCloudFormation();
    const resolved = Tokenization.resolve(raw, {
      scope: el,
      resolver: new CrossStackAwareResolver(),
      preparing: false,
    });
    return typeof resolved === 'object' && resolved !== null ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves tokens as CloudFormation would, except that a reference to a resource of another stack
 * becomes a cross-stack marker (see `encodeCrossStackRef`) holding the intrinsic as the producer stack sees it,
 * tied to the producer through `Reference.target`, never guessed from logical ids.
 */
class CrossStackAwareResolver extends DefaultTokenResolver {
  constructor() {
    super(new CloudFormationConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
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
