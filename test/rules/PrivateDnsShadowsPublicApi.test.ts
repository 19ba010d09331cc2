import * as path from 'path';
import { Fn, Stack, aws_apigateway as apigw } from 'aws-cdk-lib';
import { analyzeTemplateFiles } from '../../src/analyze';
import { scenario, ScenarioOptions } from '../fixtures/apps/scenario';
import { SharedDnsOptions, sharedDns } from '../fixtures/apps/shared-dns';
import { findings, findingsFromAssembly, placed, summary } from '../fixtures/helpers';

const RULE = 'PrivateDnsShadowsPublicApi';

describe(RULE, () => {
  describe('reports', () => {
    test('a VPC Lambda calling a REGIONAL REST API on its default URL while private DNS is on (CDK default)', () => {
      const s = scenario();
      const f = findings(s.app, RULE);
      expect(f).toEqual([
        expect.objectContaining({
          rule: 'ApiReachability-PrivateDnsShadowsPublicApi',
          level: 'error',
          messageId: 'shadowed',
          findingId: s.apiPath,
          location: 'Properties.Environment.Variables.API_URL',
          resource: expect.objectContaining({ path: s.callerPath, stack: 'Svc' }),
        }),
      ]);
      expect(f[0].message).toContain('Lambda function Svc/OrderSync runs in VPC Net/Vpc');
      expect(f[0].message).toContain('execute-api endpoint Net/Vpc/Endpoint has private DNS on');
      expect(f[0].message).toContain('REST API Svc/PaymentsApi (REGIONAL)');
      expect(f[0].message).toContain('403 Forbidden');
      expect(f[0].fix).toContain('RegionalCustomDomain');
      expect(f[0].fix).toContain('privateDnsEnabled: false');
      expect(f[0].relatedResources.map((r) => r.path)).toEqual([s.apiPath, s.endpointPath]);
    });

    test.each<[string, ScenarioOptions]>([
      ['an EDGE REST API', { api: 'EDGE' }],
      ['an HTTP API by its url', { api: 'HTTP' }],
      ['an HTTP API by its apiEndpoint attribute', { api: 'HTTP', evidence: 'endpoint-attr' }],
      ['a WebSocket API', { api: 'WEBSOCKET' }],
      ['a Fargate service (container environment)', { caller: 'fargate' }],
      ['an EC2 instance (user data)', { caller: 'ec2' }],
      ['an Auto Scaling group (launch template user data)', { caller: 'asg' }],
      ['a CodeBuild project (environment variables)', { caller: 'codebuild' }],
      ['a call declared with declareCall', { evidence: 'hint' }],
      ['a VPC from Vpc.fromLookup', { vpc: 'lookup', networkRegion: 'us-east-1' }],
      ['a VPC from Vpc.fromVpcAttributes', { vpc: 'attributes' }],
      ['a VPC whose id is a parameter, named by the same parameter', { vpc: 'param' }],
      ['everything in one stack', { layout: 'one-stack' }],
      ['the caller in a nested stack', { layout: 'nested' }],
      ['stacks inside a Stage', { layout: 'stage' }],
      ['both stacks in the same known region', { networkRegion: 'eu-west-1', apiRegion: 'eu-west-1' }],
    ])('%s', (_, o) => {
      const s = scenario(o);
      expect(findings(s.app, RULE)).toEqual([
        expect.objectContaining({
          level: 'error',
          messageId: 'shadowed',
          findingId: s.apiPath,
          resource: expect.objectContaining({ path: s.callerPath }),
        }),
      ]);
    });

    test('a bare API id in the configuration, as a warning', () => {
      const s = scenario({ evidence: 'id' });
      expect(findings(s.app, RULE)).toEqual([expect.objectContaining({ level: 'warning', messageId: 'shadowedById' })]);
    });

    test('an IAM grant on the API as the only evidence, as a warning', () => {
      const s = scenario({ evidence: 'grant' });
      expect(findings(s.app, RULE)).toEqual([
        expect.objectContaining({
          level: 'warning',
          messageId: 'shadowedByGrant',
          location: 'Properties.Role',
          evidence: {
            resource: expect.objectContaining({ path: 'Svc/OrderSync/ServiceRole/DefaultPolicy/Resource' }),
            location: 'Properties.PolicyDocument',
          },
        }),
      ]);
    });
  });

  describe('stays silent when', () => {
    test.each<[string, ScenarioOptions]>([
      ['private DNS is off', { privateDns: false }],
      ['the interface endpoint is for SQS', { endpointService: 'sqs' }],
      ['the interface endpoint is for STS', { endpointService: 'sts' }],
      ['the VPC has no interface endpoint', { endpointService: 'none' }],
      ['the caller runs in another VPC', { callerVpc: 'other' }],
      ['the API is in another region', { networkRegion: 'us-east-1', apiRegion: 'eu-west-1' }],
      ['the API is private', { api: 'PRIVATE' }],
      ['nothing in the caller names the API', { evidence: 'none' }],
      ['the caller reaches the API through a regional custom domain (A alias)', { evidence: 'domain' }],
      ['the URL is a literal of an API the app does not define (rule 2)', { evidence: 'literal' }],
    ])('%s', (_, o) => {
      expect(findings(scenario(o).app, RULE)).toEqual([]);
    });

    // The caller holds only the API's id, and the API is mapped on a custom domain name that the app
    // imports (a literal DomainName): the caller may build that domain's URL, not the default one.
    // Rule 1 reads the same "mapped APIs" fact as rule 11, which counts mappings to imported domains.
    test('a bare id of an API mapped on an imported custom domain', () => {
      const s = scenario({ evidence: 'id' });
      new apigw.CfnBasePathMapping(Stack.of(s.api), 'ImportedDomainMapping', {
        domainName: 'api.example.com',
        restApiId: (s.api as apigw.RestApi).restApiId,
      });
      expect(findings(s.app, RULE)).toEqual([]);
    });

    test('a bare id, while a mapping of the app names an API it imports (it may be this one)', () => {
      const s = scenario({ evidence: 'id' });
      new apigw.CfnBasePathMapping(Stack.of(s.api), 'OtherDomainMapping', {
        domainName: 'unrelated.example.com',
        restApiId: Fn.importValue('SomeOtherApiId'),
      });
      // A mapping whose API is an import may map any API: the hostname cannot be told, so nothing is reported.
      expect(findings(s.app, RULE)).toEqual([]);
    });

    test('an IAM grant on an API mapped on an imported custom domain', () => {
      const s = scenario({ evidence: 'grant' });
      new apigw.CfnBasePathMapping(Stack.of(s.api), 'ImportedDomainMapping', {
        domainName: 'api.example.com',
        restApiId: (s.api as apigw.RestApi).restApiId,
      });
      expect(findings(s.app, RULE)).toEqual([]);
    });
  });

  describe('the construct tree and the synthesized cloud assembly agree', () => {
    test.each<[string, ScenarioOptions]>([
      ['cross-stack', {}],
      ['nested stack', { layout: 'nested' }],
      ['Stage', { layout: 'stage' }],
      ['another region', { networkRegion: 'us-east-1', apiRegion: 'eu-west-1' }],
      ['IAM grant', { evidence: 'grant' }],
      ['declared call', { evidence: 'hint' }],
    ])('%s', (_, o) => {
      const tree = findings(scenario(o).app).map(summary);
      const asm = findingsFromAssembly(scenario(o).app).map(summary);
      expect(asm).toEqual(tree);
    });
  });
});

describe(`${RULE}, through DNS shared across VPCs (a spoke VPC without an endpoint of its own)`, () => {
  test('reports a Route 53 Profile that carries the hub endpoint with private DNS on, and says so', () => {
    const s = sharedDns({ path: 'profile-endpoint' });
    const f = findings(s.app, RULE);
    expect(f.map(placed)).toEqual([[`ApiReachability-${RULE}`, s.callerPath, s.apiPath]]);
    expect(f[0]).toEqual(expect.objectContaining({ level: 'error', messageId: 'shadowed' }));
    expect(f[0].message).toContain('runs in VPC Net/Spoke, where Route 53 Profile Net/SharedDns');
    expect(f[0].message).toContain(
      'carries execute-api endpoint Net/Hub/ExecuteApi of VPC Net/Hub, whose private DNS is on',
    );
    expect(f[0].fix).toContain('take Net/Hub/ExecuteApi out of Route 53 Profile Net/SharedDns');
    expect(findingsFromAssembly(s.app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a private hosted zone for execute-api names whose record aliases the public API to the hub endpoint', () => {
    const s = sharedDns({ path: 'zone-all' });
    const f = findings(s.app, RULE);
    expect(f.map(placed)).toEqual([[`ApiReachability-${RULE}`, s.callerPath, s.apiPath]]);
    expect(f[0].message).toContain(
      'where private hosted zone Net/ExecuteApiZone (execute-api.eu-west-1.amazonaws.com) answers that name with an alias (Net/ApiAlias) to execute-api endpoint Net/Hub/ExecuteApi',
    );
    expect(f[0].fix).toContain('one private hosted zone per private API');
  });

  test('reports a Resolver rule that forwards amazonaws.com outside the app, as a warning', () => {
    const s = sharedDns({ path: 'forward' });
    const f = findings(s.app, RULE);
    expect(f).toEqual([expect.objectContaining({ level: 'warning', messageId: 'forwarded', findingId: s.apiPath })]);
    expect(f[0].message).toContain('Resolver rule Net/ForwardToHub');
    expect(f[0].message).toContain('forwards amazonaws.com to resolvers outside the app');
  });

  test.each<[string, SharedDnsOptions]>([
    ['the Profile is associated with another VPC', { path: 'profile-endpoint', associatedWith: 'other' }],
    ['the Profile carries an endpoint with private DNS off', { path: 'profile-endpoint', hubPrivateDns: false }],
    ['the zone for execute-api names is for another region', { path: 'zone-all', zoneRegion: 'us-east-1' }],
    ['the zone is associated with another VPC', { path: 'zone-all', associatedWith: 'other' }],
    // The name is covered but has no record: it does not resolve at all (rule 20's), it does not reach the endpoint.
    ['the zone for execute-api names holds a record for another API only', { path: 'zone-all', record: 'other-api' }],
    ['the hub shares one zone per private API (the AWS-recommended hub and spoke)', { path: 'zone-per-api' }],
    ['the Resolver rule forwards another domain', { path: 'forward', forwardDomain: 'corp.example.com' }],
    ['the Resolver rule is associated with another VPC', { path: 'forward', associatedWith: 'other' }],
    ['nothing shares DNS with the spoke', { path: 'none' }],
  ])('stays silent when %s', (_, o) => {
    expect(findings(sharedDns(o).app, RULE)).toEqual([]);
  });
});

describe(`${RULE}, from CloudFormation templates`, () => {
  const template = (file: string) => path.join(__dirname, '../fixtures/templates', file);

  test('reports the spoke Lambda of a template whose Route 53 Profile carries the hub endpoint', () => {
    const f = analyzeTemplateFiles([template('fails/route53-profile-shadows-public-api.yaml')]).findings;
    expect(f.filter((x) => x.ruleName === RULE).map((x) => [x.level, x.resource.logicalId, x.findingId])).toEqual([
      ['error', 'Fn', 'route53-profile-shadows-public-api/Api'],
    ]);
  });

  test('stays silent on the hub-and-spoke template: one zone per private API, public names stay public', () => {
    expect(analyzeTemplateFiles([template('passes/hub-and-spoke-private-api-zone.yaml')]).findings).toEqual([]);
  });
});
