/**
 * Guards around fact derivation, so that one odd resource costs that resource's fact and one
 * failing fact family costs the rules that read it, never the whole app.
 */
import { displayName, ResourceNode } from '../graph/resource-graph';

/** Thrown when a rule reads a fact family whose derivation failed: that rule stays silent. */
export class FactUnavailable extends Error {
  constructor(public readonly family: string) {
    super(`the ${family} facts could not be derived`);
    this.name = 'FactUnavailable';
  }
}

/** Collects what went wrong while deriving facts: one line per problem, naming the resource. */
export class FactGuard {
  public readonly problems: string[] = [];

  /**
   * Reads one fact per resource. A resource whose reading throws is left out of this family
   * and becomes one problem that names it; the other resources are read as usual.
   */
  public each<T, R>(
    family: string,
    items: Iterable<T>,
    read: (item: T) => R | undefined,
    resourceOf: (item: T) => ResourceNode,
  ): R[] {
    const out: R[] = [];
    for (const item of items) {
      let r: R | undefined;
      try {
        r = read(item);
      } catch (e) {
        this.problems.push(
          `${displayName(resourceOf(item))} could not be read for the ${family} facts (${errorText(e)}); it is left out of them`,
        );
        continue;
      }
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /**
   * Derives a whole fact family. When it throws, reading it later throws FactUnavailable, so that
   * each rule that needs it stays silent and every other rule runs.
   */
  public family<T>(family: string, derive: () => T): () => T {
    try {
      const value = derive();
      return () => value;
    } catch (e) {
      // A family built on a failed one fails with it, named after the one that failed first: that
      // one's cause is already reported.
      const root = e instanceof FactUnavailable ? e.family : family;
      if (!(e instanceof FactUnavailable)) {
        this.problems.push(
          `the ${family} facts could not be derived (${errorText(e)}); the rules that read them stay silent`,
        );
      }
      return () => {
        throw new FactUnavailable(root);
      };
    }
  }
}

/** The first line of an error's message. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}
