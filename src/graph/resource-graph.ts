import { normalizeApp } from './intrinsics';
import { RawStack, ResourceNode, StackNode } from './types';
import { Value } from './values';

// The data types live in types.ts (shared with the normalizer, which must not import this module);
// they are re-exported here so that facts and rules keep one import for the graph.
export type { RawStack, RawTemplate, ResourceNode, StackNode } from './types';
export { resourceKey } from './types';

/**
 * Every resource of every stack of an app, with references tied to the resources they name.
 * Built once per check; indexed by key, type and construct path.
 */
export class ResourceGraph {
  /** Builds the graph from the stacks of an app (the output of either builder). */
  public static fromStacks(stacks: ReadonlyArray<RawStack>): ResourceGraph {
    const { stacks: nodes, resources } = normalizeApp(stacks);
    return new ResourceGraph(nodes, resources);
  }

  private readonly byKey = new Map<string, ResourceNode>();
  private readonly byType = new Map<string, ResourceNode[]>();
  private readonly byPath = new Map<string, ResourceNode>();

  constructor(
    public readonly stacks: ReadonlyArray<StackNode>,
    resources: ReadonlyArray<ResourceNode>,
  ) {
    for (const r of resources) {
      this.byKey.set(r.key, r);
      const same = this.byType.get(r.type);
      if (same) same.push(r);
      else this.byType.set(r.type, [r]);
      if (r.path) this.byPath.set(r.path, r);
    }
  }

  /** All resources, in a stable order (stack key, then logical id). */
  public get resources(): ResourceNode[] {
    return [...this.byKey.values()];
  }

  /** The resource with this key. */
  public get(key: string): ResourceNode | undefined {
    return this.byKey.get(key);
  }

  /** The resources of these types, in a stable order. */
  public ofType(...types: string[]): ResourceNode[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** The resource with this construct path. */
  public byConstructPath(path: string): ResourceNode | undefined {
    return this.byPath.get(path);
  }

  /** A property of a resource. */
  public prop(r: ResourceNode, name: string): Value | undefined {
    return r.properties[name];
  }
}

/** How a resource is named in messages: its construct path without the trailing `/Resource`. */
export function displayName(r: ResourceNode): string {
  if (r.path) return r.path.replace(/\/(Resource|Default)$/, '');
  return `${r.stack.key}/${r.logicalId}`;
}
