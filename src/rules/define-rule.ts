import { Facts } from '../facts';
import { Finding, FindingLevel, findingIdOf, findingResource } from '../finding';
import { ResourceNode } from '../graph/resource-graph';

/** Prefix of every rule id. */
export const RULE_PREFIX = 'ApiReachability';

/** Where the rule pages live. */
export const DOCS_BASE = 'https://github.com/cdk-api-reachability/cdk-api-reachability/blob/main/docs/rules';

/** A message template of a rule: `{name}` placeholders are filled from the finding's data. */
export interface MessageTemplate {
  readonly message: string;
  readonly fix: string;
}

/** What a rule declares about itself, first in its file. */
export interface RuleMeta<M extends string = string> {
  /** PascalCase name; equals the file name and the id suffix; never reused. */
  readonly name: string;
  /** The default level; a finding may carry its own where the rule says so. */
  readonly level: FindingLevel;
  /** One line: the generic question the rule answers. */
  readonly summary: string;
  /** Why API Gateway answers 403 (or why the call fails), in a few sentences. */
  readonly explanation: string;
  /** The row of API Gateway's 403 troubleshooting table this rule prevents. */
  readonly troubleshooting: string;
  /** AWS documentation the rule is based on. */
  readonly sourceUrl: string;
  /** The version that introduced the rule. */
  readonly since: string;
  readonly messages: { readonly [id in M]: MessageTemplate };
}

/**
 * What a rule reports for one pair of resources. A rule may report the same pair (resource, other
 * end) more than once, e.g. for each call that shows it: one of them is kept, chosen by
 * level, location and message, never by order.
 */
export interface Report<M extends string = string> {
  readonly messageId: M;
  readonly data: { readonly [key: string]: string };
  readonly resource: ResourceNode;
  /** The other resources involved, for the finding's `relatedResources`; none by default. */
  readonly related?: ResourceNode[];
  /** The other end, as a resource (its construct path) or a literal (a hostname); with `resource`, it names the finding. */
  readonly other: ResourceNode | string;
  /** A property path in the template of `resource`. */
  readonly location: string;
  /** The cause, when it is in another resource's template; none by default. */
  readonly evidence?: { readonly resource: ResourceNode; readonly location: string };
  readonly level?: FindingLevel;
}

/** A rule: its metadata and a pure check over the facts. */
export interface Rule<M extends string = string> extends RuleMeta<M> {
  /** Full id: `ApiReachability-<name>`. */
  readonly id: string;
  /** Its documentation page. */
  readonly docs: string;
  /** Runs the check. Pure: reads facts, returns findings, throws nothing on purpose. */
  check(facts: Facts): Finding[];
}

/** Declares a rule: metadata first, then the check, which returns reports. */
export function defineRule<M extends string>(meta: RuleMeta<M> & { check(facts: Facts): Array<Report<M>> }): Rule<M> {
  const id = `${RULE_PREFIX}-${meta.name}`;
  const docs = `${DOCS_BASE}/${meta.name}.md`;
  return {
    ...meta,
    id,
    docs,
    check(facts: Facts): Finding[] {
      // One finding per pair (resource, other end). Where a rule reports a pair more than once (one
      // report per call that shows it), the one kept must not depend on the order of keys or
      // constructs: errors before warnings, then the smallest location, message id and message.
      const best = new Map<string, Finding>();
      for (const r of meta.check(facts)) {
        const t = meta.messages[r.messageId];
        const f: Finding = {
          rule: id,
          ruleName: meta.name,
          level: r.level ?? meta.level,
          messageId: r.messageId,
          message: fill(t.message, r.data),
          fix: fill(t.fix, r.data),
          resource: findingResource(r.resource),
          relatedResources: (r.related ?? []).map(findingResource),
          findingId: findingIdOf(r.other),
          location: r.location,
          ...(r.evidence
            ? { evidence: { resource: findingResource(r.evidence.resource), location: r.evidence.location } }
            : {}),
          docs,
        };
        const pair = `${r.resource.key}|${f.findingId}`;
        const kept = best.get(pair);
        if (!kept || before(f, kept)) best.set(pair, f);
      }
      return [...best.values()];
    },
  };
}

/** The order in which reports of the same pair are preferred. */
function before(a: Finding, b: Finding): boolean {
  const key = (f: Finding) => [f.level === 'error' ? '0' : '1', f.location, f.messageId, f.message];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i];
  return false;
}

function fill(template: string, data: { readonly [key: string]: string }): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? data[k] : m));
}
