import {
  CfnResource,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyViolatingResource,
  PolicyViolation,
} from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgementOf, constructAt } from './acknowledgements';
import { RuleLevel } from './rule-ids';
import { applyRuleLevels, checkRuleLevels } from './rule-levels';
import { findingDescription, findingLabel, INTERNAL_ERROR_ID, internalErrorText } from './wording';
import { analyzeScope, analyzeSynthesizedStacks, analyzeSynthesizedTemplates, Analysis } from '../analyze';
import { Finding, FindingResource } from '../finding';
import { RULES } from '../rules';

/** Properties of {@link ApiReachabilityChecks}. */
export interface ApiReachabilityChecksProps extends NagPackProps {
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
 * The cdk-nag v3 pack that finds what makes API Gateway answer 403 Forbidden.
 *
 * Register it on the app; `cdk synth` then fails on every error-level finding:
 *
 * ```ts
 * Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
 * ```
 *
 * The pack reads the whole app at once (references cross stacks), reports each finding once on
 * the resource that must change, and honours `Validations.of(x).acknowledge({ id, reason })` with
 * either the rule id or `RuleId[findingId]`.
 *
 * For audits, an acknowledged finding is not dropped: `cdk.out/validation-report.json` lists it under
 * the pack's `suppressedViolations`, with the acknowledgement's id, its reason and the construct it was
 * made on (`ruleMetadata.finding` is the finding's label). With `writeSuppressionsToCloudFormation: true`
 * (a cdk-nag option) the acknowledgements are also written into each resource's template `Metadata`
 * as `cdk_nag: { rules_to_suppress: [{ id, reason }] }`.
 */
export class ApiReachabilityChecks extends NagPack {
  /** The name shown in the validation report. */
  public readonly name = 'ApiReachability';
  /** The rule ids this pack evaluates. */
  public readonly ruleIds?: string[] = RULES.map((r) => r.id);
  private readonly showExplanations: boolean;
  private readonly levels: Map<string, RuleLevel>;

  constructor(scope?: IConstruct, props?: ApiReachabilityChecksProps) {
    super(scope, props);
    this.packName = 'ApiReachability';
    this.showExplanations = props?.verbose ?? false;
    this.levels = checkRuleLevels('ApiReachabilityChecks', props?.ruleLevels);
  }

  /**
   * Called by CDK's validation framework after synthesis. It reads the synthesized templates it is
   * handed (resolved once, by CDK's own synthesis), not the construct tree: the tree serves to
   * honour acknowledgements, and to read the app when the templates cannot tell construct paths.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = (context as { appConstruct?: IConstruct }).appConstruct;
    const handed = context.stackTemplates ?? [];
    const analysis =
      handed.length > 0
        ? analyzeSynthesizedStacks(handed, root)
        : root
          ? analyzeScope(root)
          : analyzeSynthesizedTemplates(context.templatePaths);
    const stacks = handed.map((s) => s.stackConstructPath);
    const inScope = (f: Finding) =>
      stacks.length === 0 || stacks.some((s) => f.resource.stack === s || f.resource.stack.startsWith(`${s}/`));
    const templateOf = (r: FindingResource) =>
      (context.stackTemplates ?? []).find((s) => s.stackConstructPath === r.stack)?.templatePath;
    return this.report(analysis, root, inScope, templateOf, true);
  }

  /** Checks a construct tree directly (tests, or CDK versions without `appConstruct`). */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.report(
      analyzeScope(scope),
      scope.node.root,
      () => true,
      () => undefined,
    );
  }

  /** The engine reads the whole app at once; there is nothing to do per resource. */
  protected checkResource(_node: CfnResource): void {}

  private report(
    analysis: Analysis,
    root: IConstruct | undefined,
    inScope: (f: Finding) => boolean,
    templateOf: (r: FindingResource) => string | undefined,
    auditTrail = false,
  ): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const f of applyRuleLevels(analysis.findings, this.levels)) {
      if (!inScope(f)) continue;
      const ack = root ? acknowledgementOf(constructAt(root, f.resource.path), f) : undefined;
      if (ack) {
        // For CDK's audit trail: reported under the acknowledgement's own id, on the resource below the
        // construct it was made on, CDK moves it to the report's `suppressedViolations` with the reason.
        if (auditTrail && f.resource.path !== undefined) violations.push(this.acknowledged(f, ack.id, templateOf));
        continue;
      }
      violations.push({
        ruleName: findingLabel(f),
        description: `${findingDescription(f, this.showExplanations)} See ${f.docs}`,
        fix: f.fix,
        severity: f.level,
        ruleMetadata: {
          docs: f.docs,
          findingId: f.findingId,
          messageId: f.messageId,
          related: f.relatedResources.map((r) => r.path ?? `${r.stack}/${r.logicalId}`).join(', '),
        },
        // The resource that must change at a path of its own template; then, when the cause is in another
        // resource's template (an ECS service's task definition), that resource at the path of the cause.
        violatingResources: [
          violating(f.resource, f.location, templateOf),
          ...(f.evidence ? [violating(f.evidence.resource, f.evidence.location, templateOf)] : []),
        ],
      });
    }
    for (const d of analysis.diagnostics) {
      violations.push({
        ruleName: INTERNAL_ERROR_ID,
        description: internalErrorText(d),
        severity: 'warning',
        violatingResources: [],
      });
    }
    const failing = violations.filter((v) => !ACKNOWLEDGED.has(v));
    return { success: !failing.some((v) => v.severity === 'error'), violations };
  }

  /**
   * An acknowledged finding as CDK's policy validation suppresses it: the rule name is the id CDK
   * recorded (`Annotation::ApiReachability-…[…]`), the resource the one the finding is on, below the
   * construct the acknowledgement was made on; `ruleMetadata.finding` keeps the finding's own label.
   */
  private acknowledged(
    f: Finding,
    recordedId: string,
    templateOf: (r: FindingResource) => string | undefined,
  ): PolicyViolation {
    const v: PolicyViolation = {
      ruleName: recordedId,
      description: `${findingDescription(f, this.showExplanations)} See ${f.docs}`,
      fix: f.fix,
      severity: f.level,
      ruleMetadata: { docs: f.docs, finding: findingLabel(f), findingId: f.findingId, messageId: f.messageId },
      violatingResources: [violating(f.resource, f.location, templateOf)],
    };
    ACKNOWLEDGED.add(v);
    return v;
  }
}

/** The violations that stand for acknowledged findings: they never fail the report. */
const ACKNOWLEDGED = new WeakSet<PolicyViolation>();

/** A resource of the validation report, with a property path (`Properties/TaskDefinition`) of its own template. */
function violating(
  r: FindingResource,
  location: string,
  templateOf: (r: FindingResource) => string | undefined,
): PolicyViolatingResource {
  const templatePath = templateOf(r);
  return {
    constructPath: r.path,
    resourceLogicalId: r.logicalId,
    ...(templatePath ? { templatePath } : {}),
    locations: [location.replace(/\./g, '/')],
  };
}
