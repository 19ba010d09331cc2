/**
 * Internet egress of subnets (`EgressIndex`) and of callers: default routes to a NAT gateway, an
 * internet gateway (egress only with a public IP), anything else (unknown), none (isolated).
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Caller, EgressIndex, Facts, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { ResRef } from '../../src/graph/values';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, templateGraph, templateStack } from '../fixtures/helpers';

/** Whether a caller can reach the internet (the one place this file asks the facts' query). */
function callerEgress(facts: Facts, caller: Caller) {
  return facts.egress.ofCaller(caller);
}

/** A subnet `Sub<name>` with its own route table and, when given, a default route with these properties. */
function subnet(name: string, route?: Record<string, unknown>, subnetProps: Record<string, unknown> = {}) {
  const out: Record<string, unknown> = {
    [`Sub${name}`]: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', ...subnetProps },
    },
    [`Rt${name}`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    [`Assoc${name}`]: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: `Sub${name}` }, RouteTableId: { Ref: `Rt${name}` } },
    },
  };
  if (route) {
    out[`Route${name}`] = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: `Rt${name}` }, ...route } };
  }
  return out;
}

const base = {
  Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
  Igw: { Type: 'AWS::EC2::InternetGateway' },
  Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-x' } },
  PublicNat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-x', ConnectivityType: 'public' } },
  PrivateNat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-x', ConnectivityType: 'private' } },
  ParamNat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-x', ConnectivityType: { Ref: 'Cidr' } } },
};
const DEFAULT = { DestinationCidrBlock: '0.0.0.0/0' };

function egressOf(resources: Record<string, unknown>, conditions?: Record<string, unknown>) {
  const g = templateGraph(
    templateStack({ ...base, ...resources }, { conditions, parameters: { Cidr: { Type: 'String' } } }),
  );
  return { g, index: new EgressIndex(g) };
}

describe('EgressIndex.of', () => {
  test.each<[string, Record<string, unknown> | undefined, string]>([
    ['a default route to a NAT gateway', { ...DEFAULT, NatGatewayId: { Ref: 'Nat' } }, 'nat'],
    ['a default route to a public NAT gateway', { ...DEFAULT, NatGatewayId: { Ref: 'PublicNat' } }, 'nat'],
    [
      'a default route to a private NAT gateway (no internet)',
      { ...DEFAULT, NatGatewayId: { Ref: 'PrivateNat' } },
      'none',
    ],
    [
      'a default route to a NAT gateway whose connectivity is a parameter',
      { ...DEFAULT, NatGatewayId: { Ref: 'ParamNat' } },
      'unknown',
    ],
    ['a default route to a NAT gateway id of another app', { ...DEFAULT, NatGatewayId: 'nat-0abc' }, 'nat'],
    ['a default route to an internet gateway of the app', { ...DEFAULT, GatewayId: { Ref: 'Igw' } }, 'igw'],
    ['a default route to a literal igw- id', { ...DEFAULT, GatewayId: 'igw-0abc' }, 'igw'],
    ['a default route to a transit gateway', { ...DEFAULT, TransitGatewayId: 'tgw-1' }, 'unknown'],
    ['a default route to a peering connection', { ...DEFAULT, VpcPeeringConnectionId: 'pcx-1' }, 'unknown'],
    ['a default route to a virtual private gateway', { ...DEFAULT, GatewayId: 'vgw-1' }, 'unknown'],
    ['a default route to a network interface', { ...DEFAULT, NetworkInterfaceId: 'eni-1' }, 'unknown'],
    ['a default route to a firewall endpoint', { ...DEFAULT, VpcEndpointId: 'vpce-1' }, 'unknown'],
    ['no route at all (isolated)', undefined, 'none'],
    ['only a narrower route', { DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1' }, 'none'],
    [
      'a destination that is a parameter',
      { DestinationCidrBlock: { Ref: 'Cidr' }, NatGatewayId: { Ref: 'Nat' } },
      'unknown',
    ],
    ['only an IPv6 default route', { DestinationIpv6CidrBlock: '::/0', GatewayId: { Ref: 'Igw' } }, 'unknown'],
  ])('%s', (_, route, expected) => {
    const { g, index } = egressOf(subnet('A', route));
    expect(index.of(new ResRef(g.get('S|SubA')!.key))).toBe(expected);
  });

  test('a conditional default route is unknown', () => {
    const { index } = egressOf(
      {
        ...subnet('A', { ...DEFAULT, NatGatewayId: { Ref: 'Nat' } }),
        RouteA: {
          Type: 'AWS::EC2::Route',
          Condition: 'C',
          Properties: { ...DEFAULT, RouteTableId: { Ref: 'RtA' }, NatGatewayId: { Ref: 'Nat' } },
        },
      },
      { C: { 'Fn::Equals': ['a', 'b'] } },
    );
    expect(index.of(new ResRef('S|SubA'))).toBe('unknown');
  });

  test('a default route via GetAtt of the subnet id is the same subnet', () => {
    const { index } = egressOf(subnet('A', { ...DEFAULT, NatGatewayId: { Ref: 'Nat' } }));
    expect(index.of(new ResRef('S|SubA', 'SubnetId'))).toBe('nat');
  });

  test('a subnet with no association in the app uses the main route table: unknown', () => {
    const { index } = egressOf({ Lone: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' } } } });
    expect(index.of(new ResRef('S|Lone'))).toBe('unknown');
  });

  test('a subnet associated with two different tables is unknown', () => {
    const { index } = egressOf({
      ...subnet('A', { ...DEFAULT, NatGatewayId: { Ref: 'Nat' } }),
      ...subnet('B'),
      Assoc2: {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { SubnetId: { Ref: 'SubA' }, RouteTableId: { Ref: 'RtB' } },
      },
    });
    expect(index.of(new ResRef('S|SubA'))).toBe('unknown');
    expect(index.of(new ResRef('S|SubB'))).toBe('none');
  });

  test('two default routes on one table: NAT and internet gateway make NAT', () => {
    const { index } = egressOf({
      ...subnet('A', { ...DEFAULT, GatewayId: { Ref: 'Igw' } }),
      Route2: {
        Type: 'AWS::EC2::Route',
        Properties: { ...DEFAULT, RouteTableId: { Ref: 'RtA' }, NatGatewayId: { Ref: 'Nat' } },
      },
    });
    expect(index.of(new ResRef('S|SubA'))).toBe('nat');
  });

  test('an imported subnet id, or a resource that is not a subnet, is unknown', () => {
    const { index } = egressOf(subnet('A'));
    expect(index.of('subnet-0abc')).toBe('unknown');
    expect(index.of(new ResRef('S|Vpc'))).toBe('unknown');
  });

  test('mapsPublicIp reads MapPublicIpOnLaunch (absent = false); imported subnets are unknown', () => {
    const { index } = egressOf({ ...subnet('A', undefined, { MapPublicIpOnLaunch: true }), ...subnet('B') });
    expect([
      index.mapsPublicIp(new ResRef('S|SubA')),
      index.mapsPublicIp(new ResRef('S|SubB')),
      index.mapsPublicIp('subnet-1'),
    ]).toEqual([true, false, 'unknown']);
  });
});

describe('CDK subnets', () => {
  test("a CDK VPC's public, private-with-egress and isolated subnets: igw, nat, none", () => {
    const app = newApp();
    const stack = new Stack(app, 'Net');
    new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const { graph } = factsOfApp(app);
    const index = new EgressIndex(graph);
    const of = (name: string) => index.of(new ResRef(graph.byConstructPath(`Net/Vpc/${name}Subnet1/Subnet`)!.key));
    expect([of('Public'), of('Private'), of('Isolated')]).toEqual(['igw', 'nat', 'none']);
  });
});

describe('callers', () => {
  /** A Lambda function and an EC2 instance (public IP as given) in subnet `SubA`. */
  function callersIn(
    route: Record<string, unknown> | undefined,
    instance: Record<string, unknown> = {},
    subnetProps = {},
  ) {
    const g: ResourceGraph = templateGraph(
      templateStack({
        ...base,
        ...subnet('A', route, subnetProps),
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { VpcConfig: { SubnetIds: [{ Ref: 'SubA' }], SecurityGroupIds: [] } },
        },
        Box: { Type: 'AWS::EC2::Instance', Properties: { SubnetId: { Ref: 'SubA' }, ...instance } },
      }),
    );
    const facts = deriveFacts(g);
    return facts.callers.map((c) => [c.resource.key, c.publicIp, callerEgress(facts, c)]);
  }
  const igw = { ...DEFAULT, GatewayId: { Ref: 'Igw' } };

  test('behind a NAT gateway both have egress', () => {
    expect(callersIn({ ...DEFAULT, NatGatewayId: { Ref: 'Nat' } })).toEqual([
      ['S|Fn', 'never', 'yes'],
      ['S|Box', 'subnet', 'yes'],
    ]);
  });

  test('behind an internet gateway: never for Lambda; the instance as the subnet maps public IPs', () => {
    expect(callersIn(igw, {}, { MapPublicIpOnLaunch: true })).toEqual([
      ['S|Fn', 'never', 'no'],
      ['S|Box', 'subnet', 'yes'],
    ]);
    expect(callersIn(igw)).toEqual([
      ['S|Fn', 'never', 'no'],
      ['S|Box', 'subnet', 'no'],
    ]);
  });

  test('an instance that asks for a public IP on its network interface has egress through an internet gateway', () => {
    const nic = {
      NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: 'SubA' }, AssociatePublicIpAddress: true }],
    };
    expect(callersIn(igw, nic)[1]).toEqual(['S|Box', 'yes', 'yes']);
  });

  test('isolated: no egress; unknown route: unknown', () => {
    expect(callersIn(undefined).map((c) => c[2])).toEqual(['no', 'no']);
    expect(callersIn({ ...DEFAULT, TransitGatewayId: 'tgw-1' }).map((c) => c[2])).toEqual(['unknown', 'unknown']);
  });
});
