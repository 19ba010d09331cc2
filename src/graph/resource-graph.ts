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
  /**
   * Builds the graph from the stacks of an app (the output of either builder). With `readsType`,
   * only the properties of the resource types it accepts are normalized (the others are empty):
   * the checks pass the types their facts read.
   */
  public static fromStacks(
    stacks: ReadonlyArray<RawStack>,
    options: { readsType?: (type: string) => boolean } = {},
  ): ResourceGraph {
    const { stacks: nodes, resources } = normalizeApp(stacks, options.readsType);
    return new ResourceGraph(nodes, resources);
  }

  private readonly byKey = new Map<string, ResourceNode>();
  private readonly byType = new Map<string, ResourceNode[]>();
  private readonly byPath = new Map<string, ResourceNode>();
  /** The place of each resource in the graph's order. */
  private readonly rank = new Map<ResourceNode, number>();

  /**
   * The resources are kept in a canonical order (stack key, then logical id), whatever the order
   * they are handed over in: what the checks find must not follow the key order of a template or the
   * order of constructs. Of two resources with one key (or one construct path), the first in that order wins.
   */
  constructor(
    public readonly stacks: ReadonlyArray<StackNode>,
    resources: ReadonlyArray<ResourceNode>,
  ) {
    const order = (a: ResourceNode, b: ResourceNode) =>
      compare(a.stack.key, b.stack.key) || compare(a.logicalId, b.logicalId);
    // The normalizer hands them over sorted already: check in one pass before sorting.
    const sorted = resources.every((r, i) => i === 0 || order(resources[i - 1], r) <= 0)
      ? resources
      : [...resources].sort(order);
    for (const r of sorted) {
      if (this.byKey.has(r.key)) continue;
      this.rank.set(r, this.rank.size);
      this.byKey.set(r.key, r);
      const same = this.byType.get(r.type);
      if (same) same.push(r);
      else this.byType.set(r.type, [r]);
      if (r.path && !this.byPath.has(r.path)) this.byPath.set(r.path, r);
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

  /** The resources of these types, in the graph's order (stack key, then logical id), whatever the order of the types. */
  public ofType(...types: string[]): ResourceNode[] {
    const distinct = [...new Set(types)];
    const found = distinct.flatMap((t) => this.byType.get(t) ?? []);
    return distinct.length > 1 ? found.sort((a, b) => this.rank.get(a)! - this.rank.get(b)!) : found;
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
