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

/**
 * How to acknowledge one finding, as code that works when copied: CDK's `Validations.of(scope).acknowledge`
 * with the finding's exact label as the id, on its resource or any construct above it (a stack, the app).
 * The aspect appends it to each message: CDK's own `[ack: …]` tag on a warning ends in the label's `]`,
 * which reads as a stray bracket, and an error gets no tag at all.
 */
export function acknowledgeText(f: Finding): string {
  const where = f.resource.path ?? `${f.resource.stack}/${f.resource.logicalId}`;
  return (
    `Acknowledge with: Validations.of(scope).acknowledge({ id: ${quoted(findingLabel(f))}, reason: '…' }), ` +
    `where scope is ${where} or a construct above it.`
  );
}

/** A single-quoted JavaScript string literal of `text`. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The text of an internal error: a check that could not finish never fails the synth. */
export function internalErrorText(diagnostic: string): string {
  return `cdk-api-reachability could not finish a check: ${diagnostic}. Please report this; the other checks ran.`;
}

/** The id under which the aspect reports findings it could not put on their resources because they sit in a Stage. */
export const STAGE_NOT_CHECKED_ID = 'ApiReachability-StageNotChecked';

/** The README section on Stages and CDK Pipelines. */
export const STAGES_DOCS = 'https://github.com/cdk-api-reachability/cdk-api-reachability#stages-and-cdk-pipelines';

/**
 * What the aspect says about the findings of a Stage it could not annotate: CDK synthesized the
 * Stage before the aspect ran, so they are named here, with how to check the Stage.
 */
export function stageNotCheckedText(stagePath: string, findings: ReadonlyArray<Finding>): string {
  const count = findings.length === 1 ? '1 finding' : `${findings.length} findings`;
  const list = findings.map((f) => `${findingLabel(f)} on ${f.resource.path ?? f.resource.logicalId} (${f.message})`);
  return (
    `${STAGE_NOT_CHECKED_ID}[${stagePath}]: ApiReachabilityAspect could not report the ${count} in Stage ` +
    `${stagePath}, because CDK synthesizes a Stage (and a CDK Pipelines stage as soon as it is added) before ` +
    `the aspects of the app around it run: ${list.join('; ')}. Fix: add the aspect inside the Stage ` +
    '(`Aspects.of(this).add(new ApiReachabilityAspect())` in its constructor), or check the app with the cdk-nag ' +
    'pack ApiReachabilityChecks; or acknowledge each finding on its resource or a construct above it: ' +
    "Validations.of(scope).acknowledge({ id: '<the finding, as named above>', reason: '…' }). " +
    `See ${STAGES_DOCS}`
  );
}
