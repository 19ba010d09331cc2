/**
 * Acknowledgements the command line reads, so that `check` agrees with `cdk synth` on which findings
 * are accepted:
 *
 * - from a cloud assembly: the acknowledgements CDK records on a stack and its constructs
 *   (`Validations.of(x).acknowledge({ id, reason })`, `aws:cdk:acknowledged-rules` metadata). Those
 *   made on a Stage or on the app are not in the cloud assembly (CDK keeps them in memory only);
 * - from any template (CDK's, SAM, CloudFormation): cdk-nag's audit trail in a resource's
 *   `Metadata`, `cdk_nag: { rules_to_suppress: [{ id, reason, appliesTo? }] }`, which the pack
 *   writes with `writeSuppressionsToCloudFormation` and which a template author can write by hand.
 *
 * An acknowledged finding is still reported, marked, and does not fail the run.
 */
import { acknowledgedIdCovers, normalizedId, withoutNamespace } from '../acknowledgement-ids';
import { Finding } from '../finding';
import { fingerprint } from './report';
import { isRecord, own } from '../graph/bounded';
import { RawStack, RecordedAcknowledgement } from '../graph/types';

/** What acknowledges a finding in the command line's reports. */
export interface CliAcknowledgement {
  /** The id as written (`ApiReachability-…[…]`, with CDK's namespace when CDK recorded it). */
  readonly id: string;
  readonly reason: string;
  /** Where it was found: the construct path it was made on, or `stack/logicalId` of the resource whose `Metadata` holds it. */
  readonly at: string;
  /** `cdk` (the cloud assembly's record of `Validations.of(x).acknowledge()`) or `template` (`Metadata.cdk_nag`). */
  readonly source: 'cdk' | 'template';
}

/** The acknowledgement of each acknowledged finding, by fingerprint (see report.ts). */
export function acknowledgementsOf(
  findings: ReadonlyArray<Finding>,
  stacks: ReadonlyArray<RawStack>,
): ReadonlyMap<string, CliAcknowledgement> {
  const byKey = new Map(stacks.map((s) => [s.key, s]));
  // The Stages and stacks a relative finding id may be read against.
  const bases = new Set<string>();
  const recorded: RecordedAcknowledgement[] = [];
  for (const s of stacks) {
    bases.add(s.key);
    for (const stage of s.stages ?? []) bases.add(stage);
    recorded.push(...(s.acknowledgements ?? []));
  }
  // The nearest first (the longest path), then in path and id order.
  recorded.sort((a, b) => b.at.length - a.at.length || compare(a.at, b.at) || compare(a.id, b.id));
  const basesAt = new Map<string, string[]>();
  const basesOf = (at: string) => {
    let found = basesAt.get(at);
    if (!found) {
      found = [...bases].filter((b) => at === b || at.startsWith(`${b}/`)).sort((a, b) => b.length - a.length);
      basesAt.set(at, found);
    }
    return found;
  };

  const out = new Map<string, CliAcknowledgement>();
  for (const f of findings) {
    const found = inTemplate(f, byKey.get(f.resource.stack), basesOf) ?? inAssembly(f, recorded, basesOf);
    if (found) out.set(fingerprint(f), found);
  }
  return out;
}

function inAssembly(
  f: Finding,
  recorded: ReadonlyArray<RecordedAcknowledgement>,
  basesOf: (at: string) => string[],
): CliAcknowledgement | undefined {
  const p = f.resource.path;
  if (p === undefined) return undefined;
  for (const a of recorded) {
    if (p !== a.at && !p.startsWith(`${a.at}/`)) continue;
    if (acknowledgedIdCovers(a.id, f.rule, f.findingId, basesOf(a.at))) {
      return { id: a.id, reason: a.reason, at: a.at, source: 'cdk' };
    }
  }
  return undefined;
}

/**
 * `Metadata.cdk_nag.rules_to_suppress` of the resource a finding names, or of the SAM resource that
 * made it (a finding on SAM's implicit `ServerlessRestApi` is acknowledged on the function the user
 * wrote). `appliesTo` (cdk-nag's granular form) lists finding ids, as strings, for a rule-wide id.
 */
function inTemplate(
  f: Finding,
  stack: RawStack | undefined,
  basesOf: (at: string) => string[],
): CliAcknowledgement | undefined {
  if (!stack) return undefined;
  const resources = stack.template.Resources;
  if (!isRecord(resources)) return undefined;
  const logicalIds = [f.resource.logicalId, ...(f.resource.origin ? [f.resource.origin.logicalId] : [])];
  const bases = basesOf(stack.key);
  for (const logicalId of logicalIds) {
    const r = own(resources, logicalId);
    const nag = isRecord(r) && isRecord(r.Metadata) ? r.Metadata.cdk_nag : undefined;
    const entries = isRecord(nag) ? nag.rules_to_suppress : undefined;
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (!isRecord(e) || typeof e.id !== 'string') continue;
      const reason = typeof e.reason === 'string' ? e.reason : '';
      const ruleWide = normalizedId(withoutNamespace(e.id)) === normalizedId(f.rule);
      const covers = Array.isArray(e.appliesTo)
        ? ruleWide &&
          e.appliesTo.some(
            (t) => typeof t === 'string' && acknowledgedIdCovers(`${f.rule}[${t}]`, f.rule, f.findingId, bases),
          )
        : acknowledgedIdCovers(e.id, f.rule, f.findingId, bases);
      if (covers) return { id: e.id, reason, at: `${stack.key}/${logicalId}`, source: 'template' };
    }
  }
  return undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
