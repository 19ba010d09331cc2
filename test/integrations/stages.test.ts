/**
 * Stages and CDK Pipelines. CDK synthesizes each Stage before the aspects of the app around it run,
 * and does not pass them in; CDK Pipelines synthesizes a stage as soon as `addStage` is called. The
 * cdk-nag pack covers Stages; the aspect reports inside a Stage when it is added there, and
 * otherwise names the Stage and its findings where `cdk synth` shows them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, IAspect, Stack, Stage, StageProps, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct, IConstruct } from 'constructs';
import { ApiReachabilityAspect, ApiReachabilityChecks } from '../../src';
import * as analyzeModule from '../../src/analyze';
import * as factsModule from '../../src/facts';
import { STAGES_DOCS } from '../../src/integrations/wording';
import { newApp, scenario } from '../fixtures/apps/scenario';
import { synthPackReport } from '../fixtures/helpers';

const SHADOWED = 'ApiReachability-PrivateDnsShadowsPublicApi';

interface Message {
  readonly level: string;
  readonly path: string;
  readonly text: string;
}

/** What `cdk synth` shows: the messages of every stack artifact, nested assemblies included. */
function messagesOf(assembly: CloudAssembly): Message[] {
  return assembly.stacksRecursively.flatMap((st) =>
    st.messages.map((m) => ({ level: m.level, path: m.id, text: String(m.entry.data) })),
  );
}

/** Our messages only. */
function ours(assembly: CloudAssembly): Message[] {
  return messagesOf(assembly).filter((m) => /^(ApiReachability-|cdk-api-reachability)/.test(m.text));
}

interface ServiceStageProps extends StageProps {
  /** Add a new aspect inside the Stage, in its constructor, or this one. */
  readonly aspect?: boolean | ApiReachabilityAspect;
  /** An acknowledgement id written inside the Stage class, on its stack. */
  readonly acknowledge?: string;
}

/** The trap inside a Stage: a VPC Lambda calls a public REST API while the VPC's execute-api endpoint has private DNS. */
class ServiceStage extends Stage {
  public readonly callerPath: string;
  public readonly apiPath: string;

  constructor(scope: Construct, id: string, props: ServiceStageProps = {}) {
    super(scope, id, props);
    const stack = new Stack(this, 'Svc');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 1 });
    vpc.addInterfaceEndpoint('Endpoint', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
    const api = new apigw.RestApi(stack, 'PaymentsApi');
    api.root.addMethod('GET', new apigw.MockIntegration());
    const fn = new lambda.Function(stack, 'OrderSync', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      vpc,
      environment: { API_URL: api.url },
    });
    this.callerPath = (fn.node.defaultChild as IConstruct).node.path;
    this.apiPath = (api.node.defaultChild as IConstruct).node.path;
    if (props.acknowledge) Validations.of(stack).acknowledge({ id: props.acknowledge, reason: 'test' });
    if (props.aspect) Aspects.of(this).add(props.aspect === true ? new ApiReachabilityAspect() : props.aspect);
  }
}

/** A CDK Pipelines app (it synthesizes offline) whose stages are added by `addStage`. */
function pipelineApp(): { app: App; pipeline: pipelines.CodePipeline } {
  const app = newApp();
  const stack = new Stack(app, 'PipelineStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('acme/shop', 'main', {
        connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc',
      }),
      commands: ['npx cdk synth'],
    }),
  });
  return { app, pipeline };
}

/** Our error messages for one construct path. */
const errorsOn = (assembly: CloudAssembly, constructPath: string) =>
  ours(assembly)
    .filter((m) => m.level === 'error' && m.path === `/${constructPath}`)
    .map((m) => m.text.slice(0, m.text.indexOf(']: ') + 1));

describe('what CDK does with Stages (pinned, so that a change in CDK is noticed)', () => {
  test("the app's aspects visit nothing inside a Stage, not even the Stage", () => {
    const s = scenario({ layout: 'stage' });
    new Stack(s.app, 'Top');
    const visited: string[] = [];
    const spy: IAspect = { visit: (n) => void visited.push(n.node.path) };
    Aspects.of(s.app).add(spy);
    s.app.synth();
    expect(visited.filter((p) => p === 'Prod' || p.startsWith('Prod/'))).toEqual([]);
    expect(visited).toEqual(expect.arrayContaining(['', 'Top']));
  });

  test('an aspect added to a stage after pipeline.addStage never runs there', () => {
    const { app, pipeline } = pipelineApp();
    const beta = new ServiceStage(app, 'Beta');
    pipeline.addStage(beta);
    const visited: string[] = [];
    Aspects.of(beta).add({ visit: (n: IConstruct) => void visited.push(n.node.path) });
    app.synth();
    expect(visited).toEqual([]);
  });
});

describe('an app with a Stage, the aspect on the app only', () => {
  test('names the Stage and its findings in an error on the first stack outside any Stage', () => {
    const s = scenario({ layout: 'stage' });
    new Stack(s.app, 'Top');
    Aspects.of(s.app).add(new ApiReachabilityAspect());
    const messages = ours(s.app.synth());
    expect(messages).toEqual([
      {
        level: 'error',
        path: '/Top',
        text: expect.stringMatching(/^ApiReachability-StageNotChecked\[Prod\]: ApiReachabilityAspect could not report/),
      },
    ]);
    expect(messages[0].text).toContain(`${SHADOWED}[${s.apiPath}] on ${s.callerPath} (`);
    expect(messages[0].text).toContain('Aspects.of(this).add(new ApiReachabilityAspect())');
    expect(messages[0].text).toContain(`See ${STAGES_DOCS}`);
  });

  test('with no stack outside the Stage, says it on stderr (which cdk synth prints) and on the app', () => {
    const s = scenario({ layout: 'stage' });
    Aspects.of(s.app).add(new ApiReachabilityAspect());
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      s.app.synth();
      const printed = stderr.mock.calls.map((c) => String(c[0])).filter((t) => t.includes('StageNotChecked'));
      expect(printed).toEqual([expect.stringMatching(/^\[Error at \/\] ApiReachability-StageNotChecked\[Prod\]: /)]);
      expect(printed[0]).toContain(`${SHADOWED}[${s.apiPath}] on ${s.callerPath}`);
      expect(s.app.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => String(m.data))).toEqual([
        printed[0].replace('[Error at /] ', ''),
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  test('a Stage whose findings are all warnings gets a warning, not an error', () => {
    const s = scenario({ layout: 'stage', evidence: 'id' });
    new Stack(s.app, 'Top');
    Aspects.of(s.app).add(new ApiReachabilityAspect());
    expect(ours(s.app.synth()).map((m) => [m.level, m.text.slice(0, m.text.indexOf(']: ') + 1)])).toEqual([
      ['warning', 'ApiReachability-StageNotChecked[Prod]'],
    ]);
  });

  test('findings acknowledged in the Stage are not named', () => {
    const s = scenario({ layout: 'stage' });
    new Stack(s.app, 'Top');
    Validations.of(s.app.node.findChild('Prod')).acknowledge({ id: SHADOWED, reason: 'tested elsewhere' });
    Aspects.of(s.app).add(new ApiReachabilityAspect());
    expect(ours(s.app.synth())).toEqual([]);
  });

  test('a stage added to a pipeline is named too, one message per stage', () => {
    const { app, pipeline } = pipelineApp();
    const beta = new ServiceStage(app, 'Beta');
    pipeline.addStage(beta);
    const prod = new ServiceStage(app, 'Prod');
    pipeline.addStage(prod);
    Aspects.of(beta).add(new ApiReachabilityAspect()); // too late: addStage has synthesized it
    Aspects.of(app).add(new ApiReachabilityAspect());
    const messages = ours(app.synth());
    expect(messages.map((m) => [m.level, m.path, m.text.slice(0, m.text.indexOf(']: ') + 1)])).toEqual([
      ['error', '/PipelineStack', 'ApiReachability-StageNotChecked[Beta]'],
      ['error', '/PipelineStack', 'ApiReachability-StageNotChecked[Prod]'],
    ]);
    expect(messages[0].text).toContain(`${SHADOWED}[${beta.apiPath}] on ${beta.callerPath}`);
    expect(messages[1].text).toContain(`${SHADOWED}[${prod.apiPath}] on ${prod.callerPath}`);
  });
});

describe('the aspect added inside the Stage', () => {
  test('reports on the resources of a plain Stage, and the app aspect adds nothing', () => {
    const app = newApp();
    new Stack(app, 'Top');
    const stage = new ServiceStage(app, 'Prod', { aspect: true });
    Aspects.of(app).add(new ApiReachabilityAspect());
    const assembly = app.synth();
    expect(ours(assembly).map((m) => m.path)).toEqual([`/${stage.callerPath}`]);
    expect(errorsOn(assembly, stage.callerPath)).toEqual([`${SHADOWED}[${stage.apiPath}]`]);
  });

  test.each([
    ['a new aspect in each stage', () => true as const],
    ['one aspect shared by the stages', () => new ApiReachabilityAspect()],
  ])('reports in every stage of a pipeline (%s)', (_, aspectOf) => {
    const shared = aspectOf();
    const { app, pipeline } = pipelineApp();
    const beta = new ServiceStage(app, 'Beta', { aspect: shared });
    pipeline.addStage(beta);
    const prod = new ServiceStage(app, 'Prod', { aspect: shared });
    pipeline.addStage(prod);
    Aspects.of(app).add(new ApiReachabilityAspect());
    const assembly = app.synth();
    expect(ours(assembly).map((m) => m.path)).toEqual([`/${beta.callerPath}`, `/${prod.callerPath}`]);
    expect(errorsOn(assembly, beta.callerPath)).toEqual([`${SHADOWED}[${beta.apiPath}]`]);
    expect(errorsOn(assembly, prod.callerPath)).toEqual([`${SHADOWED}[${prod.apiPath}]`]);
  });

  test('reports in each stage synthesized at once, as pipeline.addStage does', () => {
    const app = newApp();
    const aspect = new ApiReachabilityAspect();
    const beta = new ServiceStage(app, 'Beta', { aspect });
    const betaAssembly = beta.synth();
    const prod = new ServiceStage(app, 'Prod', { aspect });
    const prodAssembly = prod.synth();
    expect(errorsOn(betaAssembly, beta.callerPath)).toEqual([`${SHADOWED}[${beta.apiPath}]`]);
    expect(errorsOn(prodAssembly, prod.callerPath)).toEqual([`${SHADOWED}[${prod.apiPath}]`]);
  });

  test("puts its internal-error warning on the Stage's first stack, in the Stage's assembly", () => {
    const app = newApp();
    const stage = new ServiceStage(app, 'Prod', { aspect: true });
    const spy = jest.spyOn(factsModule, 'deriveFacts').mockImplementation(() => {
      throw new Error('bug');
    });
    try {
      const messages = ours(stage.synth());
      expect(messages).toEqual([
        {
          level: 'warning',
          path: '/Prod/Svc',
          text: expect.stringMatching(/^cdk-api-reachability could not finish a check: the facts could not be derived/),
        },
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the aspect never breaks the synth', () => {
  test('an unexpected failure becomes one internal-error warning on the first stack', () => {
    const s = scenario();
    const spy = jest.spyOn(analyzeModule, 'analyzeScope').mockImplementation(() => {
      throw new Error('bug');
    });
    try {
      Aspects.of(s.app).add(new ApiReachabilityAspect());
      const messages = ours(s.app.synth());
      expect(messages).toEqual([
        {
          level: 'warning',
          path: '/Net',
          text: expect.stringMatching(
            /^cdk-api-reachability could not finish a check: the aspect failed on \/ \(.*bug/,
          ),
        },
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the cdk-nag pack', () => {
  test('reports the findings inside the stages of a pipeline', () => {
    const { app, pipeline } = pipelineApp();
    const beta = new ServiceStage(app, 'Beta');
    pipeline.addStage(beta);
    const prod = new ServiceStage(app, 'Prod');
    pipeline.addStage(prod);
    Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).toThrow();
    } finally {
      quiet.mockRestore();
    }
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8'));
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'ApiReachability');
    const found = plugin.violations.flatMap((v: any) =>
      v.violatingConstructs.map((c: any) => `${v.severity} ${v.ruleName} ${c.constructPath}`),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        `error ${SHADOWED}[${beta.apiPath}] ${beta.callerPath}`,
        `error ${SHADOWED}[${prod.apiPath}] ${prod.callerPath}`,
      ]),
    );
  });
});

describe('acknowledgements written inside a reusable Stage (issue G, item 3)', () => {
  /** The findings the pack reports in a pipeline with the Stage class deployed as Beta and Prod. */
  function packFindings(acknowledge: string): string[] {
    const { app, pipeline } = pipelineApp();
    pipeline.addStage(new ServiceStage(app, 'Beta', { acknowledge }));
    pipeline.addStage(new ServiceStage(app, 'Prod', { acknowledge }));
    Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
    return synthPackReport(app).map((v) => `${v.rule} ${v.path}`);
  }

  /** The errors the aspect, added inside the Stage, reports in each instance. */
  function aspectErrors(acknowledge: string): string[] {
    const app = newApp();
    const stages = ['Beta', 'Prod'].map((id) => new ServiceStage(app, id, { acknowledge, aspect: true }));
    const assembly = app.synth();
    return stages.flatMap((st) => errorsOn(assembly, st.callerPath));
  }

  test.each([
    ['relative to the Stage', `${SHADOWED}[Svc/PaymentsApi/Resource]`],
    ['relative to the stack', `${SHADOWED}[PaymentsApi/Resource]`],
    ['in the form CDK suggests, relative to the Stage', `ApiReachability::${SHADOWED}[Svc/PaymentsApi/Resource]`],
  ])('an id %s holds in every stage, with the pack', (_, id) => {
    expect(packFindings(id).filter((f) => f.startsWith(SHADOWED))).toEqual([]);
  });

  test.each([
    ['relative to the Stage', `${SHADOWED}[Svc/PaymentsApi/Resource]`],
    ['relative to the stack', `${SHADOWED}[PaymentsApi/Resource]`],
  ])('an id %s holds in every stage, with the aspect added in the Stage', (_, id) => {
    expect(aspectErrors(id)).toEqual([]);
  });

  test.each([
    ['another API', `${SHADOWED}[Svc/OtherApi/Resource]`],
    ['another rule', 'ApiReachability-PublicApiCallerWithoutEgress[Svc/PaymentsApi/Resource]'],
    ['a path of the other stage', `${SHADOWED}[Beta/Svc/PaymentsApi/Resource]`],
    ['a partial path segment', `${SHADOWED}[vc/PaymentsApi/Resource]`],
  ])('an id naming %s does not', (what, id) => {
    const found = packFindings(id).filter((f) => f.startsWith(SHADOWED));
    expect(found).toEqual(
      what === 'a path of the other stage'
        ? [`${SHADOWED}[Prod/Svc/PaymentsApi/Resource] Prod/Svc/OrderSync/Resource`]
        : [
            `${SHADOWED}[Beta/Svc/PaymentsApi/Resource] Beta/Svc/OrderSync/Resource`,
            `${SHADOWED}[Prod/Svc/PaymentsApi/Resource] Prod/Svc/OrderSync/Resource`,
          ],
    );
  });
});

describe('the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

  test('has the section the messages link to', () => {
    const anchor = STAGES_DOCS.slice(STAGES_DOCS.indexOf('#') + 1);
    const headings = [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    expect(headings).toContain(anchor);
  });

  test('shows the aspect added inside a Stage and the pack for pipelines', () => {
    expect(readme).toContain('Aspects.of(this).add(new ApiReachabilityAspect())');
    expect(readme).toContain('pipeline.addStage(');
  });
});
