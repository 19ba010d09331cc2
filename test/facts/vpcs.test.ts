/**
 * VPC identity (`VpcIndex`): a VPC resource or an imported id; subnets and security groups lead to
 * their VPC; endpoints tie imported subnet ids to theirs; a caller sits in the one VPC they agree on.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { VpcIndex, VpcRef } from '../../src/facts';
import { Opaque, ResRef } from '../../src/graph/values';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, templateGraph, templateStack } from '../fixtures/helpers';

const index = (resources: Record<string, unknown>) =>
  new VpcIndex(
    templateGraph(
      templateStack(resources, { parameters: { VpcParam: { Type: 'AWS::EC2::VPC::Id' }, Flag: { Type: 'String' } } }),
    ),
  );

const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };

describe('vpcOf', () => {
  test.each<[string, unknown, VpcRef | undefined]>([
    ['a Ref of a VPC of the app', { Ref: 'Vpc' }, { id: 'res:S|Vpc', name: 'S/Vpc', inApp: true }],
    ["a VPC's VpcId attribute", { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, { id: 'res:S|Vpc', name: 'S/Vpc', inApp: true }],
    ['a literal id', 'vpc-0abc', { id: 'lit:vpc-0abc', name: 'vpc-0abc', inApp: false, literalId: 'vpc-0abc' }],
    ['a parameter', { Ref: 'VpcParam' }, { id: 'param:S#VpcParam', name: 'param:S#VpcParam', inApp: false }],
    [
      'an import of an export outside the app',
      { 'Fn::ImportValue': 'SharedVpcId' },
      { id: 'import:SharedVpcId', name: 'import:SharedVpcId', inApp: false },
    ],
    ['another attribute of the VPC', { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, undefined],
    ['a Fn::If', { 'Fn::If': ['C', 'vpc-1', 'vpc-2'] }, undefined],
  ])('%s', (_, value, expected) => {
    const g = templateGraph(
      templateStack(
        { Vpc: VPC, Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: value } } },
        { parameters: { VpcParam: { Type: 'AWS::EC2::VPC::Id' } }, conditions: { C: { 'Fn::Equals': ['a', 'b'] } } },
      ),
    );
    const vpcs = new VpcIndex(g);
    expect(vpcs.vpcOf(g.get('S|Sg')!.properties.VpcId)).toEqual(expected);
    expect(vpcs.vpcOfSecurityGroup(new ResRef('S|Sg', 'GroupId'))).toEqual(expected);
  });

  test('two mentions of the same import are the same VPC', () => {
    const vpcs = index({});
    expect(vpcs.vpcOf(new Opaque('import', 'SharedVpcId'))).toEqual(vpcs.vpcOf(new Opaque('import', 'SharedVpcId')));
  });
});

describe('subnets', () => {
  const vpcs = index({
    Vpc: VPC,
    Sub: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' } } },
    Endpoint: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: 'vpc-0imported',
        SubnetIds: ['subnet-0a', 'subnet-0b'],
        ServiceName: 'com.amazonaws.us-east-1.sqs',
      },
    },
  });

  test('a subnet of the app leads to its VPC, by Ref or SubnetId attribute', () => {
    expect(vpcs.vpcOfSubnet(new ResRef('S|Sub'))).toEqual({ id: 'res:S|Vpc', name: 'S/Vpc', inApp: true });
    expect(vpcs.vpcOfSubnet(new ResRef('S|Sub', 'SubnetId'))).toEqual({ id: 'res:S|Vpc', name: 'S/Vpc', inApp: true });
  });

  test('imported subnet ids named next to a VPC by an endpoint lead to that VPC; others lead nowhere', () => {
    expect(vpcs.vpcOfSubnet('subnet-0b')).toEqual({
      id: 'lit:vpc-0imported',
      name: 'vpc-0imported',
      inApp: false,
      literalId: 'vpc-0imported',
    });
    expect(vpcs.vpcOfSubnet('subnet-0zzz')).toBeUndefined();
  });

  test('placementVpc: the one VPC that security groups and subnets agree on; none when they disagree', () => {
    const v = index({
      Vpc: VPC,
      Other: VPC,
      Sub: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' } } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
      OtherSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Other' } } },
    });
    expect(v.placementVpc([new ResRef('S|Sg', 'GroupId')], [new ResRef('S|Sub')])).toEqual({
      id: 'res:S|Vpc',
      name: 'S/Vpc',
      inApp: true,
    });
    expect(v.placementVpc([new ResRef('S|OtherSg')], [new ResRef('S|Sub')])).toBeUndefined();
    expect(v.placementVpc([], ['subnet-unknown'])).toBeUndefined();
    expect(v.placementVpc([], [], 'vpc-explicit')).toEqual({
      id: 'lit:vpc-explicit',
      name: 'vpc-explicit',
      inApp: false,
      literalId: 'vpc-explicit',
    });
  });
});

describe('callers in CDK VPCs', () => {
  function callerVpc(makeVpc: (stack: Stack) => ec2.IVpc) {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    const vpc = makeVpc(stack);
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    return factsOfApp(app).facts.callers.map((c) => [c.resource.path, c.vpc]);
  }

  test('a created VPC: the caller sits in the VPC resource', () => {
    expect(callerVpc((s) => new ec2.Vpc(s, 'Vpc', { maxAzs: 1 }))).toEqual([
      ['Svc/Fn/Resource', { id: expect.stringMatching(/^res:Svc\|Vpc[0-9A-F]{8}$/), name: 'Svc/Vpc', inApp: true }],
    ]);
  });

  test('an imported VPC (fromVpcAttributes): the security group CDK creates names the literal VPC id', () => {
    expect(
      callerVpc((s) =>
        ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
          vpcId: 'vpc-0a1b2c3d',
          availabilityZones: ['az1'],
          privateSubnetIds: ['subnet-0aaa'],
        }),
      ),
    ).toEqual([
      ['Svc/Fn/Resource', { id: 'lit:vpc-0a1b2c3d', name: 'vpc-0a1b2c3d', inApp: false, literalId: 'vpc-0a1b2c3d' }],
    ]);
  });
});
