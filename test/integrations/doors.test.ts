import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ApiReachabilityAspect, ApiReachabilityChecks, ApiReachabilityRule } from '../../src';
import * as factsModule from '../../src/facts';
import { constructAt } from '../../src/integrations/acknowledgements';
import { scenario, Scenario } from '../fixtures/apps/scenario';

/** What the cdk-nag door reports after `cdk synth`: `RuleId[findingId]` → construct paths. */
function nagReport(app: App): Array<{ rule: string; path: string; severity: string }> {
  Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
  let thrown: unknown;
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined); // CDK prints the report too
  try {
    app.synth();
  } catch (e) {
    thrown = e;
  } finally {
    quiet.mockRestore();
  }
  const file = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    if (thrown) throw thrown;
    return [];
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'ApiReachability');
  if (plugin && plugin.conclusion === 'failure') expect(thrown).toBeDefined();
  return (plugin?.violations ?? []).flatMap((v: any) =>
    // The first construct is the resource the finding is on; a second one, when there, holds its cause.
    v.violatingConstructs
      .slice(0, 1)
      .map((c: any) => ({ rule: v.ruleName, path: c.constructPath, severity: v.severity })),
  );
}

/** What the aspect door reports: `RuleId[findingId]` → construct paths, from the annotations. */
function aspectReport(app: App): Array<{ rule: string; path: string; severity: string }> {
  const aspect = new ApiReachabilityAspect();
  Aspects.of(app).add(aspect);
  // Aspects do not cross Stage boundaries: a Stage gets the aspect too, as the README says.
  for (const stage of app.node.findAll().filter((c) => Stage.isStage(c) && c !== app)) Aspects.of(stage).add(aspect);
  app.synth();
  const out: Array<{ rule: string; path: string; severity: string }> = [];
  for (const stack of app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested)) {
    const a = Annotations.fromStack(stack);
    for (const [severity, msgs] of [
      ['error', a.findError('*', Match.stringLikeRegexp('^ApiReachability-'))],
      ['warning', a.findWarning('*', Match.stringLikeRegexp('^ApiReachability-'))],
    ] as const) {
      for (const m of msgs) {
        const text = String(m.entry.data);
        out.push({ rule: text.slice(0, text.indexOf(']: ') + 1), path: m.id.replace(/^\//, ''), severity });
      }
    }
  }
  return out;
}

const sort = (xs: Array<{ rule: string; path: string; severity: string }>) =>
  [...xs].sort((a, b) => `${a.path}${a.rule}`.localeCompare(`${b.path}${b.rule}`));

/** Two findings on one caller: it calls a REST API and an HTTP API on their default URLs. */
function twoFindings(): Scenario & { httpPath: string } {
  const s = scenario();
  const svc = Stack.of(s.caller);
  const http = new apigwv2.HttpApi(svc, 'OrdersApi');
  (s.caller as lambda.Function).addEnvironment('ORDERS_URL', http.apiEndpoint);
  return { ...s, httpPath: (http.node.defaultChild as IConstruct).node.path };
}

type Door = (app: App) => Array<{ rule: string; path: string; severity: string }>;
const DOORS: Array<[string, Door]> = [
  ['cdk-nag pack', nagReport],
  ['aspect', aspectReport],
];

describe.each(DOORS)('the %s door', (_, report) => {
  test('reports an error finding on the caller, with the API in the finding id', () => {
    const s = scenario();
    expect(report(s.app)).toEqual([
      { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`, path: s.callerPath, severity: 'error' },
    ]);
  });

  test('reports warnings as warnings', () => {
    const s = scenario({ evidence: 'id' });
    expect(report(s.app)).toEqual([
      { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`, path: s.callerPath, severity: 'warning' },
    ]);
  });

  test('reports nothing for a fixed app', () => {
    expect(report(scenario({ privateDns: false }).app)).toEqual([]);
  });

  describe('acknowledgements', () => {
    test('on the resource suppress its findings of that rule', () => {
      const s = scenario();
      Validations.of(s.caller.node.defaultChild as IConstruct).acknowledge({
        id: ApiReachabilityRule.PRIVATE_DNS_SHADOWS_PUBLIC_API,
        reason: 'test',
      });
      expect(report(s.app)).toEqual([]);
    });

    test('on an L2 parent suppress its findings', () => {
      const s = scenario();
      Validations.of(s.caller).acknowledge({ id: 'ApiReachability-PrivateDnsShadowsPublicApi', reason: 'test' });
      expect(report(s.app)).toEqual([]);
    });

    test('on the stack suppress the findings of its resources', () => {
      const s = scenario();
      Validations.of(Stack.of(s.caller)).acknowledge({
        id: 'ApiReachability-PrivateDnsShadowsPublicApi',
        reason: 'test',
      });
      expect(report(s.app)).toEqual([]);
    });

    test('with [findingId] suppress only that finding', () => {
      const s = twoFindings();
      Validations.of(s.caller).acknowledge({
        id: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`,
        reason: 'test',
      });
      expect(report(s.app)).toEqual([
        { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.httpPath}]`, path: s.callerPath, severity: 'error' },
      ]);
    });

    test('in the form CDK suggests (with the plugin namespace) are honoured', () => {
      const s = scenario();
      Validations.of(s.caller).acknowledge({
        id: `ApiReachability::ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`,
        reason: 'test',
      });
      expect(report(s.app)).toEqual([]);
    });

    test('on stack A do not suppress findings in stack B', () => {
      const s = scenario();
      Validations.of(s.app.node.findChild('Net')).acknowledge({
        id: 'ApiReachability-PrivateDnsShadowsPublicApi',
        reason: 'test',
      });
      expect(report(s.app)).toEqual([
        { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`, path: s.callerPath, severity: 'error' },
      ]);
    });

    test('of another rule do not suppress', () => {
      const s = scenario();
      Validations.of(s.caller).acknowledge({
        id: ApiReachabilityRule.PUBLIC_API_CALLER_WITHOUT_EGRESS,
        reason: 'test',
      });
      expect(report(s.app)).toEqual([
        { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`, path: s.callerPath, severity: 'error' },
      ]);
    });
  });
});

describe('both doors give the same findings', () => {
  test.each([
    ['the trap', {}],
    ['two callers and two APIs', { caller: 'fargate' as const }],
    ['isolated subnets', { subnets: 'isolated' as const }],
    ['a Stage', { layout: 'stage' as const, subnets: 'isolated' as const }],
    ['a nested stack', { layout: 'nested' as const }],
    ['a bare id', { evidence: 'id' as const }],
    ['a literal URL', { evidence: 'literal' as const }],
  ])('%s', (_, o) => {
    expect(sort(nagReport(scenario(o).app))).toEqual(sort(aspectReport(scenario(o).app)));
  });
});

describe('ApiReachabilityChecks', () => {
  test('validateScope checks a construct tree directly', () => {
    const s = scenario();
    const r = new ApiReachabilityChecks().validateScope(s.app);
    expect(r.success).toBe(false);
    expect(r.violations).toEqual([
      expect.objectContaining({
        ruleName: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`,
        severity: 'error',
        fix: expect.stringContaining('RegionalCustomDomain'),
        ruleMetadata: expect.objectContaining({ findingId: s.apiPath, messageId: 'shadowed' }),
        violatingResources: [
          expect.objectContaining({
            constructPath: s.callerPath,
            locations: ['Properties/Environment/Variables/API_URL'],
          }),
        ],
      }),
    ]);
  });

  test('verbose adds the rule explanation', () => {
    const r = new ApiReachabilityChecks(undefined, { verbose: true }).validateScope(scenario().app);
    expect(r.violations[0].description).toContain('only reaches private APIs, so API Gateway answers 403');
  });

  test('reads the synthesized templates when the context has no construct tree', () => {
    const s = scenario();
    const asm = s.app.synth();
    const stacks = asm.stacks.map((st) => ({
      stackConstructPath: st.hierarchicalId,
      templatePath: st.templateFullPath,
      accountId: undefined,
      region: undefined,
    }));
    const r = new ApiReachabilityChecks().validate({
      templatePaths: stacks.map((x) => x.templatePath),
      stackTemplates: stacks,
    } as any);
    expect(r.violations.map((v) => v.ruleName)).toEqual([`ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`]);
  });

  test('turns templates it cannot read into an internal-error warning, never an error', () => {
    const r = new ApiReachabilityChecks().validate({
      templatePaths: [path.join(__dirname, 'no-such-template.json')],
      stackTemplates: [],
    } as any);
    expect(r.success).toBe(true);
    expect(r.violations).toEqual([
      expect.objectContaining({
        ruleName: 'ApiReachability-InternalError',
        severity: 'warning',
        description: expect.stringMatching(
          /^cdk-api-reachability could not finish a check: the templates could not be read/,
        ),
      }),
    ]);
  });

  test('lists its rule ids', () => {
    expect(new ApiReachabilityChecks().ruleIds).toEqual(expect.arrayContaining(Object.values(ApiReachabilityRule)));
  });
});

describe('each finding is reported once', () => {
  test('when the app spans several environments', () => {
    const s = scenario({ networkRegion: 'eu-west-1', apiRegion: 'eu-west-1' });
    new Stack(s.app, 'Elsewhere', { env: { account: '123456789012', region: 'us-east-1' } });
    expect(nagReport(s.app)).toEqual([
      { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`, path: s.callerPath, severity: 'error' },
    ]);
  });

  test('when the same pack is registered on the app and on a Stage', () => {
    const s = scenario({ layout: 'stage' });
    const checks = new ApiReachabilityChecks(s.app);
    Validations.of(s.app.node.findChild('Prod')).addPlugins(checks);
    expect(nagReport(s.app)).toEqual([
      { rule: `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]`, path: s.callerPath, severity: 'error' },
    ]);
  });

  test('and its finding id never holds "::", which CDK acknowledgements reserve', () => {
    const app = scenario().app;
    const svc = app.node.findChild('Svc') as Stack;
    const http = new apigwv2.HttpApi(svc, 'Orders::Api');
    const fn = svc.node.findChild('OrderSync') as lambda.Function;
    fn.addEnvironment('ORDERS_URL', http.apiEndpoint);
    const rules = nagReport(app).map((r) => r.rule);
    expect(rules).toContain('ApiReachability-PrivateDnsShadowsPublicApi[Svc/Orders:Api/Resource]');
    for (const r of rules) expect(r).not.toContain('::');
  });
});

describe('ApiReachabilityAspect', () => {
  /** The messages of the aspect's annotations on one construct path. */
  function annotations(app: App, type: 'error' | 'warning', constructPath: string): string[] {
    Aspects.of(app).add(new ApiReachabilityAspect({ verbose: true }));
    app.synth();
    const stack = app.node.findChild(constructPath.split('/')[0]) as Stack;
    const a = Annotations.fromStack(stack);
    const found =
      type === 'error'
        ? a.findError(`/${constructPath}`, Match.anyValue())
        : a.findWarning(`/${constructPath}`, Match.anyValue());
    return found.map((m) => String(m.entry.data));
  }

  test('verbose adds the rule explanation, in the same words as the cdk-nag pack', () => {
    const s = scenario();
    const pack = new ApiReachabilityChecks(undefined, { verbose: true }).validateScope(scenario().app).violations[0];
    const [text] = annotations(s.app, 'error', s.callerPath);
    expect(text).toContain('only reaches private APIs, so API Gateway answers 403');
    expect(text).toBe(
      `ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]: ${pack.description.replace(/ See \S+$/, '')} ` +
        `Fix: ${pack.fix} See ${pack.ruleMetadata!.docs} ` +
        `Acknowledge with: Validations.of(scope).acknowledge({ id: 'ApiReachability-PrivateDnsShadowsPublicApi[${s.apiPath}]', ` +
        `reason: '…' }), where scope is ${s.callerPath} or a construct above it.`,
    );
  });

  describe('says in each message how to acknowledge it, in a form that works when copied', () => {
    /** The acknowledgement an aspect message prints: the id and the scope it names. */
    function printedAck(text: string): { id: string; scope: string } {
      const m =
        /Acknowledge with: Validations\.of\(scope\)\.acknowledge\(\{ id: '(.*)', reason: '…' \}\), where scope is (.*) or a construct above it\.$/.exec(
          text,
        );
      expect(m).not.toBeNull();
      return { id: m![1].replace(/\\(.)/g, '$1'), scope: m![2] };
    }

    /** The aspect's messages of a fresh app, by level, with the construct path they sit on. */
    function messages(app: App): Array<{ level: string; path: string; text: string }> {
      Aspects.of(app).add(new ApiReachabilityAspect());
      const asm = app.synth({ force: true });
      return asm.stacks.flatMap((st) =>
        st.messages
          .filter((m) => String(m.entry.data).startsWith('ApiReachability-'))
          .map((m) => ({ level: m.level, path: m.id.replace(/^\//, ''), text: String(m.entry.data) })),
      );
    }

    test.each([
      ['an error', {}, 'error'],
      ['a warning', { evidence: 'id' as const }, 'warning'],
    ])('%s: the printed id, acknowledged on the printed scope, silences it', (_, options, level) => {
      const [msg] = messages(scenario(options).app);
      expect(msg.level).toBe(level);
      const ack = printedAck(msg.text.replace(/ \[ack: .*\]$/, ''));
      const s = scenario(options);
      expect(ack.scope).toBe(s.callerPath);
      Validations.of(constructAt(s.app, ack.scope)!).acknowledge({ id: ack.id, reason: 'copied from the message' });
      expect(messages(s.app)).toEqual([]);
    });

    test("a warning's CDK [ack: …] tag holds the same id, which works when copied too", () => {
      const [msg] = messages(scenario({ evidence: 'id' }).app);
      const tag = /\[ack: (.*)\]$/.exec(msg.text)![1];
      expect(tag).toBe(printedAck(msg.text.replace(/ \[ack: .*\]$/, '')).id);
      const s = scenario({ evidence: 'id' });
      Validations.of(s.caller).acknowledge({ id: tag, reason: 'copied from the tag' });
      expect(messages(s.app)).toEqual([]);
    });

    test.each(DOORS)(
      'a finding id with a space (CDK turns it into a hyphen) is acknowledged by its printed id (%s)',
      (_, report) => {
        const withSpace = () => {
          const app = scenario({ privateDns: true, evidence: 'none' }).app;
          const svc = app.node.findChild('Svc') as Stack;
          const http = new apigwv2.HttpApi(svc, 'Orders Api');
          (svc.node.findChild('OrderSync') as lambda.Function).addEnvironment('ORDERS_URL', http.apiEndpoint);
          return app;
        };
        const [msg] = messages(withSpace());
        const ack = printedAck(msg.text);
        expect(ack.id).toBe('ApiReachability-PrivateDnsShadowsPublicApi[Svc/Orders Api/Resource]');
        const app = withSpace();
        Validations.of(constructAt(app, ack.scope)!).acknowledge({ id: ack.id, reason: 'copied' });
        expect(report(app)).toEqual([]);
      },
    );
  });

  test('turns a diagnostic into a warning that cdk synth shows (on the first stack), worded as the cdk-nag pack words it', () => {
    const s = scenario({ privateDns: false });
    const spy = jest.spyOn(factsModule, 'deriveFacts').mockImplementation(() => {
      throw new Error('bug');
    });
    try {
      const pack = new ApiReachabilityChecks().validateScope(s.app).violations;
      Aspects.of(s.app).add(new ApiReachabilityAspect());
      const assembly = s.app.synth();
      const warnings = assembly.stacks.flatMap((st) =>
        st.messages
          .filter((m) => /^cdk-api-reachability/.test(String(m.entry.data)))
          .map((m) => `${m.id} ${m.entry.data}`),
      );
      expect(pack.map((v) => v.ruleName)).toEqual(['ApiReachability-InternalError']);
      expect(warnings).toEqual([`/Net ${pack[0].description} [ack: ApiReachability-InternalError]`]);
    } finally {
      spy.mockRestore();
    }
  });
});
