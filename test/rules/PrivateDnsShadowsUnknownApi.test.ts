import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { analyzeRawStacks } from '../../src/analyze';
import { newApp, scenario, ScenarioOptions } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, placed, templateStack } from '../fixtures/helpers';

const RULE = 'PrivateDnsShadowsUnknownApi';

describe(RULE, () => {
  describe('reports', () => {
    test('a VPC Lambda whose configuration names a literal execute-api URL of an API the app does not define', () => {
      const s = scenario({ evidence: 'literal' });
      const f = findings(s.app, RULE);
      expect(f).toEqual([
        expect.objectContaining({
          rule: 'ApiReachability-PrivateDnsShadowsUnknownApi',
          level: 'warning',
          messageId: 'shadowedUnknown',
          findingId: 'abc123defg.execute-api.us-east-1.amazonaws.com',
          location: 'Properties.Environment.Variables.API_URL',
          resource: expect.objectContaining({ path: s.callerPath }),
        }),
      ]);
      expect(f[0].message).toContain(
        'calls abc123defg.execute-api.us-east-1.amazonaws.com, an API this app does not define',
      );
      expect(f[0].relatedResources.map((r) => r.path)).toEqual([s.endpointPath]);
    });

    test('a call declared with declareExternalCall', () => {
      const s = scenario({ evidence: 'external-hint' });
      expect(findings(s.app, RULE)).toEqual([
        expect.objectContaining({
          messageId: 'shadowedUnknown',
          location: 'Metadata.cdk-api-reachability.externalCalls',
        }),
      ]);
    });

    test('the region in the hostname is the endpoint region', () => {
      const s = scenario({ evidence: 'literal', networkRegion: 'us-east-1' });
      expect(findings(s.app, RULE).map(placed)).toEqual([
        [
          'ApiReachability-PrivateDnsShadowsUnknownApi',
          'Svc/OrderSync/Resource',
          'abc123defg.execute-api.us-east-1.amazonaws.com',
        ],
      ]);
    });
  });

  describe('stays silent when', () => {
    test.each<[string, ScenarioOptions]>([
      ['private DNS is off', { evidence: 'literal', privateDns: false }],
      ['the interface endpoint is for SQS', { evidence: 'literal', endpointService: 'sqs' }],
      ['the caller runs in another VPC', { evidence: 'literal', callerVpc: 'other' }],
      ['the hostname is in another region than the endpoint', { evidence: 'literal', networkRegion: 'eu-west-1' }],
      ['the URL is of an API the app defines (rule 1)', { evidence: 'url' }],
    ])('%s', (_, o) => {
      expect(findings(scenario(o).app, RULE)).toEqual([]);
    });

    test.each([
      [
        'an endpoint-specific hostname of a private API',
        'https://abc123defg-vpce-0123456789abcdef0.execute-api.us-east-1.amazonaws.com/prod',
      ],
      ['a regional custom domain target name', 'https://d-abc123defg.execute-api.us-east-1.amazonaws.com'],
      ['a hostname of another service', 'https://sqs.us-east-1.amazonaws.com/123456789012/queue'],
    ])('the URL is %s', (_, url) => {
      const app = newApp();
      const stack = new Stack(app, 'Svc');
      const vpc = new ec2.Vpc(stack, 'Vpc');
      vpc.addInterfaceEndpoint('Endpoint', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
      new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
        vpc,
        environment: { URL: url },
      });
      expect(findings(app, RULE)).toEqual([]);
    });
  });

  test('the construct tree and the synthesized cloud assembly agree', () => {
    const tree = findings(scenario({ evidence: 'literal' }).app).map(summary);
    expect(findingsFromAssembly(scenario({ evidence: 'literal' }).app).map(summary)).toEqual(tree);
  });
});

describe(`${RULE}, through DNS shared across VPCs (templates)`, () => {
  const HOST = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
  /** A spoke Lambda calls HOST; the hub endpoint has private DNS off; `dns` says how the spoke's DNS leads there. */
  const run = (dns: Record<string, unknown>) =>
    analyzeRawStacks([
      templateStack({
        Hub: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Spoke: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Spoke' }, CidrBlock: '10.1.1.0/24' } },
        HubEndpoint: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            VpcId: { Ref: 'Hub' },
            VpcEndpointType: 'Interface',
            ServiceName: 'com.amazonaws.us-east-1.execute-api',
          },
        },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            VpcConfig: { SubnetIds: [{ Ref: 'Subnet' }] },
            Environment: { Variables: { API_URL: `https://${HOST}/prod/` } },
          },
        },
        ...dns,
      }),
    ]).findings.filter((f) => f.ruleName === RULE);
  const zone = (name: string) => ({
    Type: 'AWS::Route53::HostedZone',
    Properties: { Name: name, VPCs: [{ VPCId: { Ref: 'Spoke' }, VPCRegion: 'us-east-1' }] },
  });
  const alias = (name: string) => ({
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      HostedZoneId: { Ref: 'Zone' },
      Name: name,
      Type: 'A',
      AliasTarget: {
        DNSName: {
          'Fn::Select': [
            1,
            { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': ['HubEndpoint', 'DnsEntries'] }] }] },
          ],
        },
        HostedZoneId: 'Z7HUB',
      },
    },
  });

  test('reports a zone for every execute-api name of the region that aliases the hostname to the hub endpoint', () => {
    const f = run({ Zone: zone('execute-api.us-east-1.amazonaws.com'), Alias: alias(HOST) });
    expect(f.map((x) => [x.level, x.resource.logicalId, x.findingId])).toEqual([['warning', 'Fn', HOST]]);
    expect(f[0].message).toContain(
      'where private hosted zone S/Zone (execute-api.us-east-1.amazonaws.com) answers that name',
    );
    expect(f[0].message).toContain('to execute-api endpoint S/HubEndpoint');
  });

  test.each<[string, Record<string, unknown>]>([
    [
      'the zone is made for that one API (hub and spoke: the app says it is private)',
      { Zone: zone(HOST), Alias: alias(HOST) },
    ],
    ['no zone, Profile or endpoint with private DNS leads the spoke anywhere', {}],
    [
      'a Resolver rule forwards the name outside the app (two guesses)',
      {
        Rule: {
          Type: 'AWS::Route53Resolver::ResolverRule',
          Properties: { DomainName: 'amazonaws.com', RuleType: 'FORWARD' },
        },
        Association: {
          Type: 'AWS::Route53Resolver::ResolverRuleAssociation',
          Properties: { ResolverRuleId: { 'Fn::GetAtt': ['Rule', 'ResolverRuleId'] }, VPCId: { Ref: 'Spoke' } },
        },
      },
    ],
  ])('stays silent when %s', (_, dns) => {
    expect(run(dns)).toEqual([]);
  });
});
