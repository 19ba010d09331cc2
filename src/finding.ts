import { displayName, ResourceNode } from './graph/resource-graph';

/** How bad a finding is: an error is proven from the app, a warning is probable. */
export type FindingLevel = 'error' | 'warning';

/** A resource as findings name it. */
export interface FindingResource {
  /** Construct path of the CloudFormation resource (`Svc/Fn/Resource`), when known. */
  readonly path?: string;
  readonly logicalId: string;
  /** The stack's construct path. */
  readonly stack: string;
  /** The template file, when the graph was read from files. */
  readonly templateFile?: string;
  /**
   * For a resource the SAM transform makes under a logical id the user did not write (SAM's implicit
   * `ServerlessRestApi`, a generated stage or usage plan): the SAM resource the user wrote, and the
   * part of it that made this one (`Properties.Events.GetPets`).
   */
  readonly origin?: { readonly logicalId: string; readonly property?: string };
}

/**
 * Where the cause of a finding is when it sits in the template of another resource than the one the
 * finding names: the task definition that holds an ECS service's environment, the launch template
 * of an instance, the policy of a caller's role, the method of an API.
 */
export interface FindingEvidence {
  readonly resource: FindingResource;
  /** CloudFormation property path in that resource's template, e.g. `Properties.ContainerDefinitions.0.Environment.1.Value`. */
  readonly location: string;
}

/** One finding of one rule: deterministic, the same on every run. */
export interface Finding {
  /** Full rule id, `ApiReachability-<Name>`. */
  readonly rule: string;
  /** The rule name, `<Name>`. */
  readonly ruleName: string;
  readonly level: FindingLevel;
  /** Which message template of the rule produced it (tests assert on this, not on prose). */
  readonly messageId: string;
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /** The resource that fails or must change. */
  readonly resource: FindingResource;
  /** The other ends (API, endpoint, domain, record). */
  readonly relatedResources: FindingResource[];
  /** Names this pair: `Rule[findingId]` acknowledges just this finding. Free of `::`. */
  readonly findingId: string;
  /**
   * CloudFormation property path in the template of `resource` (always one that exists there), e.g.
   * `Properties.Environment.Variables.URL`; when the cause is in another resource, the property of
   * `resource` that leads to it (`Properties.TaskDefinition`), and `evidence` names the cause.
   */
  readonly location: string;
  /** The cause, when it is in another resource's template than `resource`'s. */
  readonly evidence?: FindingEvidence;
  /** The rule's documentation page. */
  readonly docs: string;
}

/** Turns a graph resource into the way findings name it. */
export function findingResource(r: ResourceNode): FindingResource {
  const found = { path: r.path, logicalId: r.logicalId, stack: r.stack.key, templateFile: r.stack.templateFile };
  return r.origin ? { ...found, origin: r.origin } : found;
}

/**
 * A finding id for a resource: its construct path (what users see in `cdk synth`), else
 * `stack/logicalId`. `::` is cut to `:` and brackets are dropped, because CDK's acknowledgement
 * ids reserve `::` and must keep brackets balanced.
 */
export function findingIdOf(r: ResourceNode | string): string {
  const raw = typeof r === 'string' ? r : (r.path ?? `${r.stack.key}/${r.logicalId}`);
  return raw.replace(/::+/g, ':').replace(/[[\](){}]/g, '');
}

/** Sorts findings deterministically: stack, path, rule, finding id. */
export function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) => [f.resource.stack, f.resource.path ?? f.resource.logicalId, f.rule, f.findingId];
  return [...findings].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

/** Drops repeated findings (same rule, resource and finding id). */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}|${f.resource.stack}|${f.resource.logicalId}|${f.findingId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export { displayName };
