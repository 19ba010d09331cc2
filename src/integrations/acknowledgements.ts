import { IConstruct } from 'constructs';
import { findingLabel } from './wording';
import { Finding } from '../finding';

/** Where CDK's `Validations.of(x).acknowledge()` records acknowledged rule ids (aws-cdk-lib >= 2.257). */
const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/**
 * Whether a finding is acknowledged on its resource or on any construct above it, either for the
 * whole rule (`ApiReachability-<Name>`) or for this finding (`ApiReachability-<Name>[<finding id>]`).
 * CDK stores the id with a namespace (`Annotation::…`); any namespace is accepted. CDK also turns the
 * spaces of an id into hyphens, so a finding id with a space (a construct id such as `My Api`) is
 * compared the same way: the id as printed works when copied.
 */
export function isAcknowledged(construct: IConstruct | undefined, f: Finding): boolean {
  const wanted = new Set([f.rule, findingLabel(f)].map(normalized));
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) {
        continue;
      }
      for (const id of Object.keys(entry.data as object)) {
        if (wanted.has(normalized(id.replace(/^[A-Za-z0-9 _.-]*::/, '')))) return true;
      }
    }
  }
  return false;
}

/** An id as CDK records it: spaces become hyphens. */
function normalized(id: string): string {
  return id.replace(/ /g, '-');
}

/** The construct at a path below `root` (paths as `node.path` gives them), if it exists. */
export function constructAt(root: IConstruct, path: string | undefined): IConstruct | undefined {
  if (path === undefined) return undefined;
  let c: IConstruct | undefined = root;
  const base = root.node.path;
  const rel = base && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
  for (const id of rel.split('/')) {
    if (!c || id === '') return c;
    c = c.node.tryFindChild(id);
  }
  return c;
}
