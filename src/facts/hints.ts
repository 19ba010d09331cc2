/**
 * The library's own metadata on resources (`src/hints-metadata.ts`), read as the facts need it:
 * the literal strings of one of its lists. Anything else there (not a list, not literal) is ignored.
 */
import { ResourceNode } from '../graph/resource-graph';
import { Value, list, literal } from '../graph/values';
import { HINTS_METADATA_KEY, HintsMetadata } from '../hints-metadata';

/** The literal strings of one list of a resource's hints metadata. */
export function hintStrings(r: ResourceNode, field: keyof HintsMetadata): string[] {
  const raw = r.metadata[HINTS_METADATA_KEY] as HintsMetadata | undefined;
  const v: unknown = raw?.[field];
  return list(Array.isArray(v) ? (v as Value[]) : [])
    .map((x) => literal(x))
    .filter((x): x is string => x !== undefined);
}
