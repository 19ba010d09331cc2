/**
 * execute-api interface endpoints (`facts.endpoints`): which endpoints count, their VPC, region
 * (from the stack or the ServiceName) and private DNS (on, off, unknown), and conditional ones.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ExecuteApiEndpoint, Facts, VpcRef, defaultHostname, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

/**
 * The endpoint that resolves execute-api names of a region in a VPC (the one place this file asks the
 * resolution fact, which test/facts/resolution.test.ts covers in full): its name, 'unknown', or
 * undefined when the names stay public.
 */
function shadowing(facts: Facts, vpc: VpcRef, region: string | undefined) {
  const r = facts.resolution.resolve(vpc, defaultHostname('abc123defg', region));
  if (r.kind === 'unknown') return 'unknown';
  return r.kind === 'endpoint' ? nameOf(r.endpoint.endpoint?.resource) : undefined;
}

function endpoint(e: ExecuteApiEndpoint) {
  return {
    endpoint: nameOf(e.resource),
    vpc: e.vpc?.id,
    region: e.region,
    privateDns: e.privateDns,
    conditional: e.resource.conditional,
  };
}

const endpointsOf = (g: ResourceGraph) => deriveFacts(g).endpoints.all.map(endpoint);

describe('CDK endpoints', () => {
  test("CDK's InterfaceVpcEndpoint writes private DNS on; privateDnsEnabled: false turns it off; other services do not count", () => {
    const app = newApp();
    const stack = new Stack(app, 'Net', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    vpc.addInterfaceEndpoint('On', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
    vpc.addInterfaceEndpoint('Off', {
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: false,
    });
    vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const { graph, facts } = factsOfApp(app);
    const vpcId = `res:${graph.byConstructPath('Net/Vpc/Resource')!.key}`;
    expect(facts.endpoints.all.map(endpoint)).toEqual([
      { endpoint: 'Net/Vpc/Off/Resource', vpc: vpcId, region: 'eu-west-1', privateDns: false, conditional: false },
      { endpoint: 'Net/Vpc/On/Resource', vpc: vpcId, region: 'eu-west-1', privateDns: true, conditional: false },
    ]);
    const vpcRef = facts.endpoints.all[0].vpc!;
    expect(shadowing(facts, vpcRef, 'eu-west-1')).toBe('Net/Vpc/On/Resource');
    expect(shadowing(facts, vpcRef, 'us-east-1')).toBeUndefined();
    expect(shadowing(facts, vpcRef, undefined)).toBe('Net/Vpc/On/Resource');
  });
});

describe('template endpoints', () => {
  const ep = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::EC2::VPCEndpoint',
    ...extra,
    Properties: {
      VpcId: 'vpc-0abc',
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.us-east-1.execute-api',
      ...props,
    },
  });
  const graph = (resources: Record<string, unknown>, region: string | null = 'us-east-1') =>
    templateGraph(
      templateStack(resources, {
        region: region ?? undefined,
        parameters: { Dns: { Type: 'String' }, Type: { Type: 'String' } },
        conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
      }),
    );

  test.each<[string, Record<string, unknown>, boolean | 'unknown']>([
    ["PrivateDnsEnabled absent: CloudFormation's default, off", {}, false],
    ['PrivateDnsEnabled true', { PrivateDnsEnabled: true }, true],
    ["PrivateDnsEnabled 'true' as a string", { PrivateDnsEnabled: 'true' }, true],
    ['PrivateDnsEnabled false', { PrivateDnsEnabled: false }, false],
    ['PrivateDnsEnabled a parameter', { PrivateDnsEnabled: { Ref: 'Dns' } }, 'unknown'],
    ['PrivateDnsEnabled a Fn::If', { PrivateDnsEnabled: { 'Fn::If': ['C', true, false] } }, 'unknown'],
  ])('%s', (_, props, privateDns) => {
    expect(endpointsOf(graph({ E: ep(props) }))).toEqual([
      { endpoint: 'S|E', vpc: 'lit:vpc-0abc', region: 'us-east-1', privateDns, conditional: false },
    ]);
  });

  test.each<[string, unknown, string | null, string | undefined]>([
    [
      'a literal ServiceName of another region: that region',
      'com.amazonaws.eu-west-1.execute-api',
      'us-east-1',
      'eu-west-1',
    ],
    [
      'a Sub with AWS::Region: the stack region',
      { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.execute-api' },
      'ap-south-1',
      'ap-south-1',
    ],
    [
      'a Join with AWS::Region in an environment-agnostic stack: unknown region',
      { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.execute-api']] },
      null,
      undefined,
    ],
  ])('region: %s', (_, ServiceName, stackRegion, region) => {
    expect(endpointsOf(graph({ E: ep({ ServiceName }) }, stackRegion)).map((e) => e.region)).toEqual([region]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a Gateway endpoint', { VpcEndpointType: 'Gateway' }],
    ['no endpoint type (CloudFormation defaults to Gateway)', { VpcEndpointType: undefined }],
    ['an endpoint type that is a parameter', { VpcEndpointType: { Ref: 'Type' } }],
    ['another service', { ServiceName: 'com.amazonaws.us-east-1.execute-api-x' }],
    ['a ServiceName that is a parameter', { ServiceName: { Ref: 'Type' } }],
    ['a ServiceName of a private link service', { ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123' }],
  ])('not an execute-api endpoint: %s', (_, props) => {
    expect(endpointsOf(graph({ E: ep(props) }))).toEqual([]);
  });

  test('a conditional endpoint with private DNS on is listed, but only makes the VPC unknown', () => {
    const g = graph({ E: ep({ PrivateDnsEnabled: true }, { Condition: 'C' }) });
    const facts = deriveFacts(g);
    expect(facts.endpoints.all.map(endpoint)).toEqual([
      { endpoint: 'S|E', vpc: 'lit:vpc-0abc', region: 'us-east-1', privateDns: true, conditional: true },
    ]);
    expect(shadowing(facts, facts.endpoints.all[0].vpc!, 'us-east-1')).toBe('unknown');
  });

  test('private DNS unknown makes the VPC unknown; off leaves it unshadowed', () => {
    const unknown = deriveFacts(graph({ E: ep({ PrivateDnsEnabled: { Ref: 'Dns' } }) }));
    expect(shadowing(unknown, unknown.endpoints.all[0].vpc!, 'us-east-1')).toBe('unknown');
    const off = deriveFacts(graph({ E: ep({}) }));
    expect(shadowing(off, off.endpoints.all[0].vpc!, 'us-east-1')).toBeUndefined();
  });

  test("the endpoint's own policy is read; absent means none", () => {
    const g = graph({
      Open: ep({}),
      Closed: ep({ PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] } }),
    });
    expect(deriveFacts(g).endpoints.all.map((e) => [nameOf(e.resource), e.policy])).toEqual([
      ['S|Closed', [expect.objectContaining({ effect: 'Deny' })]],
      ['S|Open', undefined],
    ]);
  });
});
