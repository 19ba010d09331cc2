import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGED_RULES_METADATA_KEY, acknowledgedIdCovers } from '../acknowledgement-ids';
import { Finding } from '../finding';

/**
 * Whether a finding is acknowledged on its resource or on any construct above it, either for the
 * whole rule (`ApiReachability-<Name>`) or for this finding (`ApiReachability-<Name>[<finding id>]`).
 * CDK stores the id with a namespace (`Annotation::…`); any namespace is accepted. CDK also turns the
 * spaces of an id into hyphens, so a finding id with a space (a construct id such as `My Api`) is
 * compared the same way: the id as printed works when copied.
 *
 * A finding id that is a construct path may also be written relative to the Stage, or to the stack,
 * of the construct the acknowledgement is on: `[Svc/PaymentsApi/Resource]` written inside a Stage
 * class matches `Beta/Svc/PaymentsApi/Resource` in its Beta instance and `Prod/Svc/…` in Prod, so
 * one line in a reusable Stage (CDK Pipelines) holds for every stage it is deployed as.
 */
export function isAcknowledged(construct: IConstruct | undefined, f: Finding): boolean {
  return acknowledgementOf(construct, f) !== undefined;
}

/** The acknowledgement that covers a finding: the id as CDK recorded it, its reason, and where it was made. */
export interface FoundAcknowledgement {
  /** The id as CDK records it (`Annotation::ApiReachability-…[…]`): the key of CDK's own audit trail. */
  readonly id: string;
  readonly reason: string;
  /** The construct path it was made on (`''` for the app). */
  readonly at: string;
}

/**
 * The acknowledgement that covers a finding (see {@link isAcknowledged}), the nearest first: on the
 * resource, then on each construct above it.
 */
export function acknowledgementOf(construct: IConstruct | undefined, f: Finding): FoundAcknowledgement | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) {
        continue;
      }
      for (const id of Object.keys(entry.data as object)) {
        if (acknowledgedIdCovers(id, f.rule, f.findingId, basesOf(c))) {
          return { id, reason: String((entry.data as { [id: string]: unknown })[id] ?? ''), at: c.node.path };
        }
      }
    }
  }
  return undefined;
}

/**
 * The construct paths a relative finding id may be read against, for an acknowledgement on `c`: the
 * Stages around it (innermost first) and its stack.
 */
function basesOf(c: IConstruct): string[] {
  const bases: string[] = [];
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i];
    if ((Stage.isStage(s) || Stack.isStack(s)) && s.node.path !== '') bases.push(s.node.path);
  }
  return bases;
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
