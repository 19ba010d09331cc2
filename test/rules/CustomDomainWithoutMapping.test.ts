import * as path from 'path';
import {
  App,
  CfnParameter,
  Stack,
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
} from 'aws-cdk-lib';
import { analyzeTemplateFiles } from '../../src/analyze';
import { newStack, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, placed } from '../fixtures/helpers';

const RULE = 'CustomDomainWithoutMapping';
const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

const cert = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);

describe(RULE, () => {
  test('reports a v1 domain with no base path mapping, on the domain, in both doors', () => {
    const stack = newStack(undefined, newApp());
    new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    const f = findings(stack.node.root as App, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'noMapping',
        resource: expect.objectContaining({ path: 'Stack/Domain/Resource' }),
      }),
    ]);
    expect(findingsFromAssembly(stack.node.root as App, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a v2 domain with no API mapping', () => {
    const stack = newStack();
    new apigwv2.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    expect(findings(stack.node.root as App, RULE).map(placed)).toEqual([
      ['ApiReachability-CustomDomainWithoutMapping', 'Stack/Domain/Resource', 'Stack/Domain/Resource'],
    ]);
  });

  test('stays silent when the mapping lives in another stack', () => {
    const app = new App();
    const net = new Stack(app, 'Domains', { env: { account: '111111111111', region: 'eu-west-1' } });
    const domain = new apigw.DomainName(net, 'Domain', { domainName: 'api.example.com', certificate: cert(net) });
    const svc = new Stack(app, 'Svc', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = restApi(svc, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    new apigw.BasePathMapping(svc, 'Mapping', { domainName: domain, restApi: api, basePath: 'v1' });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('still reports when a mapping names another domain by its literal name', () => {
    const stack = newStack();
    new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    const api = restApi(stack, 'Api');
    new apigw.CfnBasePathMapping(stack, 'Mapping', { domainName: 'imported.example.com', restApiId: api.restApiId });
    expect(findings(stack.node.root as App, RULE).map(placed)).toEqual([
      ['ApiReachability-CustomDomainWithoutMapping', 'Stack/Domain/Resource', 'Stack/Domain/Resource'],
    ]);
  });

  test('stays silent when a mapping names its domain by a value the app cannot resolve', () => {
    const stack = newStack();
    new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    const api = restApi(stack, 'Api');
    const name = new CfnParameter(stack, 'DomainName');
    new apigw.CfnBasePathMapping(stack, 'Mapping', { domainName: name.valueAsString, restApiId: api.restApiId });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});

describe(`${RULE}: routing rules and routing modes`, () => {
  /** A REST API, a domain with the given routing mode, and routing rules / mappings of the API on it. */
  function app(o: { mode?: string; rule?: boolean; mapping?: boolean; ruleDomain?: string }) {
    const stack = newStack(undefined, newApp());
    const api = restApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    const domain = new apigw.DomainName(stack, 'Domain', {
      domainName: 'api.example.com',
      certificate: cert(stack),
      endpointType: apigw.EndpointType.REGIONAL,
    });
    const cfn = domain.node.defaultChild as apigw.CfnDomainName;
    if (o.mode) cfn.routingMode = o.mode;
    if (o.rule) {
      new apigwv2.CfnRoutingRule(stack, 'Rule', {
        domainNameArn: o.ruleDomain ?? cfn.attrDomainNameArn,
        priority: 1,
        conditions: [{ matchBasePaths: { anyOf: ['orders'] } }],
        actions: [{ invokeApi: { apiId: api.restApiId, stage: api.deploymentStage.stageName } }],
      });
    }
    if (o.mapping) domain.addBasePathMapping(api, { basePath: 'v1' });
    return stack.node.root as App;
  }

  test('reports a domain whose only route is a routing rule while its routing mode is the default (mappings only)', () => {
    const f = findings(app({ rule: true }), RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'rulesIgnored',
        resource: expect.objectContaining({ path: 'Stack/Domain/Resource' }),
        relatedResources: [expect.objectContaining({ path: 'Stack/Rule' })],
      }),
    ]);
    expect(f[0].message).toContain(
      'has routing mode BASE_PATH_MAPPING_ONLY, which ignores its routing rules (Stack/Rule)',
    );
    expect(f[0].fix).toContain('ROUTING_RULE_THEN_BASE_PATH_MAPPING or ROUTING_RULE_ONLY');
    expect(findingsFromAssembly(app({ rule: true }), RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a ROUTING_RULE_ONLY domain whose only routes are base path mappings, at its RoutingMode', () => {
    const f = findings(app({ mode: 'ROUTING_RULE_ONLY', mapping: true }), RULE);
    expect(f.map((x) => [x.messageId, x.location])).toEqual([['mappingsIgnored', 'Properties.RoutingMode']]);
    expect(f[0].message).toContain('has routing mode ROUTING_RULE_ONLY, which ignores its mappings');
  });

  test.each<[string, Parameters<typeof app>[0]]>([
    ['ROUTING_RULE_ONLY with a routing rule', { mode: 'ROUTING_RULE_ONLY', rule: true }],
    ['rules then mappings, with a rule only', { mode: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING', rule: true }],
    ['rules then mappings, with a mapping only', { mode: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING', mapping: true }],
    [
      'mappings only, with a mapping and an ignored rule',
      { mode: 'BASE_PATH_MAPPING_ONLY', rule: true, mapping: true },
    ],
    [
      'a rule that names the domain by its literal ARN',
      {
        mode: 'ROUTING_RULE_ONLY',
        rule: true,
        ruleDomain: 'arn:aws:apigateway:eu-west-1::/domainnames/api.example.com',
      },
    ],
  ])('stays silent: %s', (_, o) => {
    expect(findings(app(o), RULE)).toEqual([]);
  });

  test('stays silent when the routing mode is a parameter: either kind of route may be used', () => {
    const root = app({ rule: true });
    const stack = root.node.findChild('Stack') as Stack;
    const mode = new CfnParameter(stack, 'Mode');
    ((stack.node.findChild('Domain') as apigw.DomainName).node.defaultChild as apigw.CfnDomainName).routingMode =
      mode.valueAsString;
    expect(findings(root, RULE)).toEqual([]);
  });

  test('stays silent when a routing rule names its domain by a value the app cannot resolve', () => {
    const root = app({ mode: 'ROUTING_RULE_ONLY' });
    const stack = root.node.findChild('Stack') as Stack;
    const arn = new CfnParameter(stack, 'DomainArn');
    new apigwv2.CfnRoutingRule(stack, 'Elsewhere', {
      domainNameArn: arn.valueAsString,
      priority: 1,
      conditions: [{ matchBasePaths: { anyOf: ['x'] } }],
      actions: [{ invokeApi: { apiId: 'abc123', stage: 'prod' } }],
    });
    expect(findings(root, RULE)).toEqual([]);
  });

  test('from a CloudFormation template: both kinds of mistake, and a domain that uses rules and mappings stays silent', () => {
    const file = path.join(__dirname, '../fixtures/templates/fails/routing-mode-ignores-routes.yaml');
    const f = analyzeTemplateFiles([file]).findings.filter((x) => x.ruleName === RULE);
    expect(f.map((x) => [x.resource.logicalId, x.messageId])).toEqual([
      ['MappingsOnlyByAccident', 'mappingsIgnored'],
      ['RulesOnlyByAccident', 'rulesIgnored'],
    ]);
  });
});
