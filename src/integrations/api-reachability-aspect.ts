import { Annotations, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { constructAt, isAcknowledged } from './acknowledgements';
import { RuleLevel } from './rule-ids';
import { applyRuleLevels, checkRuleLevels } from './rule-levels';
import {
  acknowledgeText,
  findingLabel,
  findingText,
  INTERNAL_ERROR_ID,
  internalErrorText,
  STAGE_NOT_CHECKED_ID,
  stageNotCheckedText,
} from './wording';
import { analyzeScope } from '../analyze';
import { Finding } from '../finding';

/** Properties of {@link ApiReachabilityAspect}. */
export interface ApiReachabilityAspectProps {
  /**
   * Add each rule's explanation to the messages.
   *
   * @default false
   */
  readonly verbose?: boolean;

  /**
   * Another level for some rules' findings, or `RuleLevel.OFF` to leave them out, by rule id
   * (`ApiReachabilityRule`): `{ [ApiReachabilityRule.PRIVATE_API_POLICY_ALLOWS_ANY_ENDPOINT]: RuleLevel.ERROR }`.
   * An id that is no rule throws.
   *
   * @default - every rule at its own level
   */
  readonly ruleLevels?: { [ruleId: string]: RuleLevel };
}

/**
 * The construct paths inside Stages that an `ApiReachabilityAspect` (any instance) has visited, by
 * app: the findings there were reported when the Stage was synthesized, so the aspect of the app
 * around it does not call them unchecked.
 */
const VISITED_IN_STAGES = new WeakMap<IConstruct, Set<string>>();

/**
 * The same checks as {@link ApiReachabilityChecks}, for apps that use aspects and annotations
 * instead of cdk-nag: each finding becomes an error or warning annotation on the resource that must
 * change; error annotations fail `cdk synth`.
 *
 * ```ts
 * Aspects.of(app).add(new ApiReachabilityAspect());
 * ```
 *
 * The app is read once per Stage, on the first construct the aspect visits there, so references
 * across stacks are followed. Findings acknowledged with `Validations.of(x).acknowledge({ id, reason })`
 * are skipped, errors as well as warnings; each message ends with the acknowledgement that silences it,
 * ready to copy.
 *
 * CDK synthesizes each `Stage` (and CDK Pipelines each stage, as soon as `addStage` is called) before
 * the aspects of the app around it run, and does not pass them in: the aspect cannot annotate
 * what is inside. It then names the Stage and its findings in one annotation on the first stack it
 * reaches (an error if any of them is an error). To have them on their resources, add the aspect
 * inside the Stage, in its constructor, or use the cdk-nag pack, which covers Stages.
 */
export class ApiReachabilityAspect implements IAspect {
  private readonly verbose: boolean;
  /** The findings to report on each construct, by the Stage (or App) being synthesized. */
  private readonly byUnit = new WeakMap<IConstruct, Map<IConstruct, Finding[]>>();
  /**
   * The Stage (or App) of each scope met so far. CDK visits a scope before what is inside it, so
   * each visit finds its scope's here: no walk up the tree, and no construct path, per visit.
   */
  private readonly units = new WeakMap<IConstruct, IConstruct>();

  private readonly levels: Map<string, RuleLevel>;

  constructor(props: ApiReachabilityAspectProps = {}) {
    this.verbose = props.verbose ?? false;
    this.levels = checkRuleLevels('ApiReachabilityAspect', props.ruleLevels);
  }

  /** Visits one construct; the first visit in each Stage reads the whole app. Never throws. */
  public visit(node: IConstruct): void {
    try {
      this.report(node);
    } catch (e) {
      try {
        say(
          unitOf(node),
          'warning',
          INTERNAL_ERROR_ID,
          internalErrorText(`the aspect failed on /${node.node.path} (${e})`),
        );
      } catch {
        // Nothing is left that could be said without risking the user's synth.
      }
    }
  }

  private report(node: IConstruct): void {
    const unit = this.unitOf(node);
    const root = unit.node.scope ? unit.node.root : unit;
    if (unit !== root) {
      let visited = VISITED_IN_STAGES.get(root);
      if (!visited) VISITED_IN_STAGES.set(root, (visited = new Set()));
      visited.add(node.node.path);
    }
    let byConstruct = this.byUnit.get(unit);
    if (!byConstruct) {
      // Set first: should reading the app fail, the internal-error warning is said once, not per construct.
      this.byUnit.set(unit, new Map());
      byConstruct = this.analyze(node, unit);
      this.byUnit.set(unit, byConstruct);
    }
    const findings = byConstruct.get(node);
    if (!findings) return;
    for (const f of findings) {
      if (isAcknowledged(node, f)) continue;
      const text = `${findingText(f, this.verbose)} ${acknowledgeText(f)}`;
      if (f.level === 'error') Annotations.of(node).addError(text);
      else Annotations.of(node).addWarningV2(findingLabel(f), text);
    }
  }

  /**
   * Reads the app once for one Stage (or the App): the findings on its own constructs, by construct; and,
   * said at once, the findings in Stages below `first` (where the aspect applies) that no aspect
   * visited, and the engine's internal errors.
   */
  private analyze(first: IConstruct, unit: IConstruct): Map<IConstruct, Finding[]> {
    const root = unit.node.root;
    const analysis = analyzeScope(root);
    const visited = VISITED_IN_STAGES.get(root);
    // By construct: a finding whose path names no construct would be reported on none.
    const byConstruct = new Map<IConstruct, Finding[]>();
    const unchecked = new Map<IConstruct, Finding[]>();
    for (const f of applyRuleLevels(analysis.findings, this.levels)) {
      const path = f.resource.path;
      if (!path) continue;
      const resource = constructAt(root, path);
      const home = resource ? unitOf(resource) : unit;
      if (home === unit) {
        if (resource) byConstruct.set(resource, [...(byConstruct.get(resource) ?? []), f]);
      } else if (isBelow(home, first) && !visited?.has(path) && !isAcknowledged(resource, f)) {
        unchecked.set(home, [...(unchecked.get(home) ?? []), f]);
      }
    }
    for (const [stage, findings] of unchecked) {
      const level = findings.some((f) => f.level === 'error') ? 'error' : 'warning';
      say(unit, level, STAGE_NOT_CHECKED_ID, stageNotCheckedText(stage.node.path, findings));
    }
    for (const d of analysis.diagnostics) say(unit, 'warning', INTERNAL_ERROR_ID, internalErrorText(d));
    return byConstruct;
  }

  /** {@link unitOf}, with the answer for each scope remembered. */
  private unitOf(c: IConstruct): IConstruct {
    const scope = c.node.scope;
    if (!scope || Stage.isStage(c)) return c;
    let unit = this.units.get(scope);
    if (!unit) this.units.set(scope, (unit = this.unitOf(scope)));
    return unit;
  }
}

/** The Stage (or App) whose synthesis covers a construct: a Stage is its own. */
function unitOf(c: IConstruct): IConstruct {
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (Stage.isStage(scopes[i])) return scopes[i];
  return c.node.root;
}

/** Whether `c` is `scope` or below it. */
function isBelow(c: IConstruct, scope: IConstruct): boolean {
  const base = scope.node.path;
  return base === '' || c.node.path === base || c.node.path.startsWith(`${base}/`);
}

/** The first stack of a Stage (or App) in tree order, not counting those of the Stages inside it. */
function firstStackOf(unit: IConstruct): Stack | undefined {
  const queue = [...unit.node.children];
  for (let c = queue.shift(); c; c = queue.shift()) {
    if (Stage.isStage(c)) continue;
    if (Stack.isStack(c)) return c;
    queue.unshift(...c.node.children);
  }
  return undefined;
}

/**
 * Says something about a whole Stage (or App) where `cdk synth` shows it: on its first stack, since
 * only stacks carry messages into the cloud assembly. A Stage without stacks of its own has nothing
 * that would carry it, so it is also written to stderr, which `cdk synth` prints.
 */
function say(unit: IConstruct, level: 'error' | 'warning', id: string, text: string): void {
  const stack = firstStackOf(unit);
  const annotations = Annotations.of(stack ?? unit);
  if (level === 'error') annotations.addError(text);
  else annotations.addWarningV2(id, text);
  if (!stack) console.error(`[${level === 'error' ? 'Error' : 'Warning'} at /${unit.node.path}] ${text}`);
}
