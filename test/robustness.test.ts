/**
 * The library must never crash someone's `cdk synth`: apps the engine does not understand give
 * "unknown", and the rules stay silent.
 */
import * as path from 'path';
import { CfnCondition, CfnParameter, CfnResource, CustomResource, Fn, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { ApiReachabilityAspect, ApiReachabilityChecks } from '../src';
import { analyzeGraph, graphOfApp } from '../src/analyze';
import * as factsModule from '../src/facts';
import { defineRule, RULES } from '../src/rules';
import { newApp, scenario } from './fixtures/apps/scenario';
import { findings, placed } from './fixtures/helpers';

function endpointOf(s: ReturnType<typeof scenario>): ec2.CfnVPCEndpoint {
  return s.app.node.findAll().find((c): c is ec2.CfnVPCEndpoint => c instanceof ec2.CfnVPCEndpoint)!;
}

describe('unknown values keep the rules silent', () => {
  test('PrivateDnsEnabled from a parameter', () => {
    const s = scenario();
    const ep = endpointOf(s);
    ep.privateDnsEnabled = new CfnParameter(Stack.of(ep), 'Dns', { type: 'String' })
      .valueAsString as unknown as boolean;
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi')).toEqual([]);
  });

  test('PrivateDnsEnabled from Fn::If', () => {
    const s = scenario();
    endpointOf(s).addPropertyOverride('PrivateDnsEnabled', { 'Fn::If': ['IsProd', true, false] });
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi')).toEqual([]);
  });

  test('ServiceName from a parameter', () => {
    const s = scenario();
    endpointOf(s).serviceName = new CfnParameter(Stack.of(endpointOf(s)), 'Svc', { type: 'String' }).valueAsString;
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi')).toEqual([]);
  });

  test('VpcEndpointType overridden with an odd value', () => {
    const s = scenario();
    endpointOf(s).addPropertyOverride('VpcEndpointType', 42);
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi')).toEqual([]);
  });

  test('a caller whose subnets are overridden with garbage', () => {
    const s = scenario();
    (s.caller.node.defaultChild as lambda.CfnFunction).addPropertyOverride('VpcConfig.SubnetIds', {
      odd: [1, null, true],
    });
    expect(() => findings(s.app)).not.toThrow();
  });

  test('an endpoint that exists only under a condition', () => {
    const s = scenario();
    endpointOf(s).cfnOptions.condition = new CfnCondition(Stack.of(endpointOf(s)), 'WithEndpoint', {
      expression: Fn.conditionEquals('a', 'b'),
    });
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi')).toEqual([]);
  });
});

describe('apps the engine does not understand never throw', () => {
  test('custom resources with token properties', () => {
    const s = scenario();
    new CustomResource(Stack.of(s.caller), 'Custom', {
      serviceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x',
      properties: {
        Url: (s.api as unknown as { url: string }).url,
        Nested: { List: [Fn.getAzs(), Lazy.string({ produce: () => 'x' })] },
      },
    });
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi').map(placed)).toEqual([
      ['ApiReachability-PrivateDnsShadowsPublicApi', 'Svc/OrderSync/Resource', 'Svc/PaymentsApi/Resource'],
    ]);
  });

  test('a lazy value that resolves to nothing', () => {
    const s = scenario({ evidence: 'none' });
    (s.caller as lambda.Function).addEnvironment('EMPTY', Lazy.string({ produce: () => undefined }));
    expect(findings(s.app)).toEqual([]);
  });

  test('a lazy value that throws while resolving: that resource is unknown, the others are still read', () => {
    const s = scenario();
    const app = s.app;
    const other = new Stack(app, 'Broken');
    new CfnResource(other, 'Odd', {
      type: 'AWS::SQS::Queue',
      properties: {
        QueueName: Lazy.string({
          produce: () => {
            throw new Error('boom');
          },
        }),
      },
    });
    expect(findings(app, 'PrivateDnsShadowsPublicApi').map(placed)).toEqual([
      ['ApiReachability-PrivateDnsShadowsPublicApi', 'Svc/OrderSync/Resource', 'Svc/PaymentsApi/Resource'],
    ]);
    expect(() => new ApiReachabilityChecks().validateScope(app)).not.toThrow();
    expect(() => new ApiReachabilityAspect().visit(app)).not.toThrow();
  });

  test('a CfnInclude template is checked like any other', () => {
    const app = newApp();
    const stack = new Stack(app, 'Included');
    new CfnInclude(stack, 'Template', {
      templateFile: path.join(__dirname, 'fixtures/templates/fails/private-dns-shadows-public-api.yaml'),
    });
    expect(findings(app).map((f) => [f.ruleName, f.resource.path])).toEqual([
      ['PrivateDnsShadowsPublicApi', 'Included/Template/Fn'],
      ['PublicApiCallerWithoutEgress', 'Included/Template/Fn'],
    ]);
  });

  test('a rule that crashes becomes a warning-level diagnostic and the other rules still run', () => {
    const broken = defineRule<'x'>({
      name: 'Broken',
      level: 'error',
      summary: 's',
      explanation: 'e',
      troubleshooting: 't',
      sourceUrl: 'https://docs.aws.amazon.com/',
      since: '0.0.0',
      messages: { x: { message: 'm', fix: 'f' } },
      check: () => {
        throw new Error('bug');
      },
    });
    const result = analyzeGraph(graphOfApp(scenario().app), [broken, ...RULES]);
    expect(result.diagnostics).toEqual(['rule ApiReachability-Broken failed (bug); its findings are missing']);
    expect(result.findings.map((f) => f.ruleName)).toContain('PrivateDnsShadowsPublicApi');
  });

  test('the cdk-nag door turns a diagnostic into a warning, never an error', () => {
    const s = scenario({ privateDns: false });
    const checks = new ApiReachabilityChecks();
    const spy = jest.spyOn(factsModule, 'deriveFacts').mockImplementation(() => {
      throw new Error('bug');
    });
    try {
      const r = checks.validateScope(s.app);
      expect(r.success).toBe(true);
      expect(r.violations).toEqual([
        expect.objectContaining({ ruleName: 'ApiReachability-InternalError', severity: 'warning' }),
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('two copies of aws-cdk-lib', () => {
  test('constructs of another copy are recognised (static checks, never instanceof)', () => {
    let app: any;
    /* eslint-disable @typescript-eslint/no-require-imports */
    jest.isolateModules(() => {
      // A fresh module registry is what a monorepo with two installed copies looks like at run time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cdk = require('aws-cdk-lib');
      const ec2b = require('aws-cdk-lib/aws-ec2');
      const lambdab = require('aws-cdk-lib/aws-lambda');
      const apigwb = require('aws-cdk-lib/aws-apigateway');
      app = new cdk.App();
      const stack = new cdk.Stack(app, 'Other');
      const vpc = new ec2b.Vpc(stack, 'Vpc');
      vpc.addInterfaceEndpoint('Endpoint', { service: ec2b.InterfaceVpcEndpointAwsService.APIGATEWAY });
      const api = new apigwb.RestApi(stack, 'Api');
      api.root.addMethod('GET');
      new lambdab.Function(stack, 'Fn', {
        runtime: lambdab.Runtime.NODEJS_24_X,
        handler: 'i.h',
        code: lambdab.Code.fromInline('x'),
        vpc,
        environment: { URL: api.url },
      });
    });
    expect(require('aws-cdk-lib').Stack).not.toBe(app.node.children[0].constructor); // really another copy
    /* eslint-enable @typescript-eslint/no-require-imports */
    expect(findings(app, 'PrivateDnsShadowsPublicApi').map((f) => f.resource.path)).toEqual(['Other/Fn/Resource']);
    Validations.of(app); // our copy's helpers accept the other copy's constructs
  });
});
