/**
 * Acknowledged findings stay visible for audits: the pack hands them to CDK's policy validation,
 * which lists them in `validation-report.json` under `suppressedViolations` with the reason and
 * where the acknowledgement was made; `writeSuppressionsToCloudFormation` (cdk-nag) writes the
 * acknowledgements into the templates as `cdk_nag.rules_to_suppress`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApiReachabilityChecks } from '../../src/integrations/api-reachability-checks';
import { scenario } from '../fixtures/apps/scenario';

const RULE = 'ApiReachability-PrivateDnsShadowsPublicApi';

/** Synthesizes the app with the pack registered; returns whether synth threw and the pack's report. */
function synth(app: App, props = {}): { threw: boolean; plugin: any } {
  Validations.of(app).addPlugins(new ApiReachabilityChecks(app, props));
  let threw = false;
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch {
    threw = true;
  } finally {
    quiet.mockRestore();
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : { pluginReports: [] };
  return { threw, plugin: report.pluginReports.find((p: any) => p.pluginName === 'ApiReachability') };
}

describe('the validation report lists acknowledged findings as suppressed, with the reason', () => {
  test.each([
    [
      'the finding label, on the resource',
      (s: ReturnType<typeof scenario>) => [s.caller.node.defaultChild!, `${RULE}[${s.apiPath}]`],
    ],
    ['the rule id, on the stack', (s: ReturnType<typeof scenario>) => [Stack.of(s.caller), RULE]],
    [
      "CDK's form with the pack's namespace, on the caller",
      (s: ReturnType<typeof scenario>) => [s.caller, `ApiReachability::${RULE}[${s.apiPath}]`],
    ],
  ] as const)('%s', (_, pick) => {
    const s = scenario();
    const [scope, id] = pick(s) as [Construct, string];
    Validations.of(scope).acknowledge({ id, reason: 'reached through the corporate proxy' });
    const { threw, plugin } = synth(s.app);
    expect(threw).toBe(false);
    expect(plugin.conclusion).toBe('success');
    expect(plugin.violations).toEqual([]);
    expect(plugin.suppressedViolations).toEqual([
      expect.objectContaining({
        reason: 'reached through the corporate proxy',
        acknowledgedAt: scope.node.path,
        severity: 'error',
        ruleMetadata: expect.objectContaining({ finding: `${RULE}[${s.apiPath}]`, findingId: s.apiPath }),
        violatingConstructs: [expect.objectContaining({ constructPath: s.callerPath })],
      }),
    ]);
    expect(plugin.suppressedViolations[0].acknowledgedId).toMatch(new RegExp(`::${RULE}`));
  });

  test('an acknowledged finding next to an unacknowledged one: one violation, one suppressed', () => {
    const s = scenario();
    Validations.of(s.caller).acknowledge({ id: `${RULE}[Some/Other/Api]`, reason: 'another finding' });
    const { threw, plugin } = synth(s.app);
    expect(threw).toBe(true);
    expect(plugin.violations.map((v: any) => v.ruleName)).toEqual([`${RULE}[${s.apiPath}]`]);
    expect(plugin.suppressedViolations).toBeUndefined();
  });

  test('inside a Stage (Prod), with an id relative to the Stage', () => {
    const s = scenario({ layout: 'stage' });
    expect(s.apiPath.startsWith('Prod/')).toBe(true);
    const relative = s.apiPath.slice('Prod/'.length);
    Validations.of(Stack.of(s.caller)).acknowledge({ id: `${RULE}[${relative}]`, reason: 'in every stage' });
    const { threw, plugin } = synth(s.app);
    expect(threw).toBe(false);
    expect(plugin.violations).toEqual([]);
    expect(plugin.suppressedViolations.map((v: any) => [v.reason, v.ruleMetadata.finding])).toEqual([
      ['in every stage', `${RULE}[${s.apiPath}]`],
    ]);
  });

  test('validateScope (no CDK validation around it) leaves acknowledged findings out', () => {
    const s = scenario();
    Validations.of(s.caller).acknowledge({ id: RULE, reason: 'known' });
    expect(new ApiReachabilityChecks().validateScope(s.app)).toEqual({ success: true, violations: [] });
  });
});

describe('writeSuppressionsToCloudFormation writes the acknowledgements into the template', () => {
  test.each([true, false])('writeSuppressionsToCloudFormation: %s', (write) => {
    const s = scenario();
    Validations.of(s.caller).acknowledge({ id: `${RULE}[${s.apiPath}]`, reason: 'audited' });
    const { threw } = synth(s.app, { writeSuppressionsToCloudFormation: write });
    expect(threw).toBe(false);
    const stack = Stack.of(s.caller);
    const template = JSON.parse(fs.readFileSync(path.join(s.app.outdir, stack.templateFile), 'utf-8'));
    const logicalId = stack.getLogicalId(s.caller.node.defaultChild as any);
    const metadata = template.Resources[logicalId].Metadata ?? {};
    if (write) {
      expect(metadata.cdk_nag).toEqual({ rules_to_suppress: [{ id: `${RULE}[${s.apiPath}]`, reason: 'audited' }] });
    } else {
      expect(metadata.cdk_nag).toBeUndefined();
    }
  });
});
