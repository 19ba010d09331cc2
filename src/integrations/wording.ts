/**
 * What the doors say, written once: the cdk-nag pack and the aspect both word their findings and
 * their internal errors with these helpers, so the two reports read the same.
 */
import { Finding } from '../finding';
import { RULES } from '../rules';

/** The id under which a door reports that the engine could not finish a check (always a warning). */
export const INTERNAL_ERROR_ID = 'ApiReachability-InternalError';

/** Each rule's explanation by rule id, built once when the module loads. */
const EXPLANATIONS: ReadonlyMap<string, string> = new Map(RULES.map((r) => [r.id, r.explanation]));

/** The explanation of a rule, by its full id (`ApiReachability-<Name>`). */
export function explanationOf(ruleId: string): string | undefined {
  return EXPLANATIONS.get(ruleId);
}

/** The name of one finding, `RuleId[findingId]`: what reports show and what acknowledges just this finding. */
export function findingLabel(f: Finding): string {
  return `${f.rule}[${f.findingId}]`;
}

/** What is wrong, with the rule's explanation after it when `verbose`. */
export function findingDescription(f: Finding, verbose: boolean): string {
  const explanation = verbose ? explanationOf(f.rule) : undefined;
  return explanation ? `${f.message} ${explanation}` : f.message;
}

/** One line per finding, in the shape cdk-nag users know: label, description, fix, docs. */
export function findingText(f: Finding, verbose: boolean): string {
  return `${findingLabel(f)}: ${findingDescription(f, verbose)} Fix: ${f.fix} See ${f.docs}`;
}

/** The text of an internal error: a check that could not finish never fails the synth. */
export function internalErrorText(diagnostic: string): string {
  return `cdk-api-reachability could not finish a check: ${diagnostic}. Please report this; the other checks ran.`;
}
