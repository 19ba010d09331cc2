/**
 * How an acknowledged id covers a finding, for every door: the construct-tree doors (which read the
 * acknowledgements from the tree) and the command line (which reads them from a cloud assembly or a
 * template's metadata). Loads nothing from aws-cdk-lib.
 */

/**
 * Where CDK's `Validations.of(x).acknowledge()` records acknowledged rule ids (aws-cdk-lib >= 2.257):
 * a construct's metadata, written into the cloud assembly for the constructs of a stack.
 */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/**
 * Whether an acknowledged id covers a finding: the whole rule (`ApiReachability-<Name>`) or this
 * finding (`ApiReachability-<Name>[<finding id>]`), with any namespace CDK puts before it
 * (`Annotation::…`), and spaces compared as hyphens (CDK records an id's spaces as hyphens, so the id
 * as printed works when copied). A finding id in brackets may be written relative to one of `bases`:
 * the construct paths of the Stages and stacks around the construct the acknowledgement is on.
 */
export function acknowledgedIdCovers(
  recordedId: string,
  rule: string,
  findingId: string,
  bases: ReadonlyArray<string>,
): boolean {
  const wanted = normalizedId(withoutNamespace(recordedId));
  const ruleId = normalizedId(rule);
  if (wanted === ruleId) return true;
  if (!wanted.startsWith(`${ruleId}[`) || !wanted.endsWith(']')) return false;
  const inner = wanted.slice(ruleId.length + 1, -1);
  const id = normalizedId(findingId);
  return inner === id || bases.some((base) => `${normalizedId(base)}/${inner}` === id);
}

/** An id as CDK records it: spaces become hyphens. */
export function normalizedId(id: string): string {
  return id.replace(/ /g, '-');
}

/** An id without the namespace CDK records before it (`Annotation::`). */
export function withoutNamespace(id: string): string {
  return id.replace(/^[A-Za-z0-9 _.-]*::/, '');
}
