import * as fc from 'fast-check';
import { analyzeGraph } from '../../src/analyze';
import { deriveFacts } from '../../src/facts';
import { RawStack, ResourceGraph } from '../../src/graph/resource-graph';
import { Concat, Opaque, ResRef, sourceRef } from '../../src/graph/values';

function graph(...stacks: RawStack[]): ResourceGraph {
  return ResourceGraph.fromStacks(stacks);
}

function prop(g: ResourceGraph, key: string, name: string) {
  return g.get(key)!.properties[name];
}

const T = (Resources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Resources, ...extra });

describe('normalizing intrinsics', () => {
  test('Ref and Fn::GetAtt (both forms) land on the resource', () => {
    const g = graph({
      key: 'S',
      template: T({
        A: { Type: 'X::A' },
        B: {
          Type: 'X::B',
          Properties: { R: { Ref: 'A' }, G: { 'Fn::GetAtt': ['A', 'Arn'] }, D: { 'Fn::GetAtt': 'A.Out.Name' } },
        },
      }),
    });
    expect(prop(g, 'S|B', 'R')).toEqual(new ResRef('S|A'));
    expect(prop(g, 'S|B', 'G')).toEqual(new ResRef('S|A', 'Arn'));
    expect(prop(g, 'S|B', 'D')).toEqual(new ResRef('S|A', 'Out.Name'));
  });

  test('pseudo parameters take the stack environment when it is known', () => {
    const g = graph({
      key: 'S',
      name: 'my-stack',
      region: 'cn-north-1',
      account: '111',
      template: T({
        B: {
          Type: 'X',
          Properties: {
            V: {
              'Fn::Join': [
                '|',
                [
                  { Ref: 'AWS::Region' },
                  { Ref: 'AWS::URLSuffix' },
                  { Ref: 'AWS::Partition' },
                  { Ref: 'AWS::AccountId' },
                  { Ref: 'AWS::StackName' },
                ],
              ],
            },
          },
        },
      }),
    });
    expect(prop(g, 'S|B', 'V')).toBe('cn-north-1|amazonaws.com.cn|aws-cn|111|my-stack');
  });

  test('AWS::NoValue removes the key or element', () => {
    const g = graph({
      key: 'S',
      template: T({
        B: { Type: 'X', Properties: { Gone: { Ref: 'AWS::NoValue' }, L: ['a', { Ref: 'AWS::NoValue' }] } },
      }),
    });
    expect(g.get('S|B')!.properties).toEqual({ L: ['a'] });
  });

  test('Fn::Sub: variables, ${!Literal}, Ref and GetAtt forms', () => {
    const g = graph({
      key: 'S',
      template: T({
        A: { Type: 'X' },
        B: { Type: 'X', Properties: { V: { 'Fn::Sub': ['https://${A}.x/${A.Arn}/${!Keep}/${V1}', { V1: 'one' }] } } },
      }),
    });
    expect(prop(g, 'S|B', 'V')).toEqual(
      new Concat(['https://', new ResRef('S|A'), '.x/', new ResRef('S|A', 'Arn'), '/${Keep}/one']),
    );
  });

  test('an Fn::Select or Fn::Split that cannot be evaluated stays unknown, and remembers the resource it is computed from', () => {
    const g = graph({
      key: 'S',
      template: T(
        {
          E: { Type: 'AWS::EC2::VPCEndpoint' },
          R: {
            Type: 'X::R',
            Properties: {
              // CDK's alias target for an interface endpoint: the DNS name of its first DNS entry.
              D: {
                'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': ['E', 'DnsEntries'] }] }] }],
              },
              P: { 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'List' }] }] },
            },
          },
        },
        { Parameters: { List: { Type: 'String' } } },
      ),
    });
    const d = prop(g, 'S|R', 'D');
    expect(d).toBeInstanceOf(Opaque);
    expect(sourceRef(d)).toEqual(new ResRef('S|E', 'DnsEntries'));
    expect(sourceRef(prop(g, 'S|R', 'P'))).toBeUndefined();
  });

  test("a list attribute exported across stacks (CDK's Fn::Join '||', split again by the importer) remembers the resource", () => {
    const g = graph(
      {
        key: 'Net',
        template: T(
          { E: { Type: 'AWS::EC2::VPCEndpoint' } },
          {
            Outputs: {
              O: { Value: { 'Fn::Join': ['||', { 'Fn::GetAtt': ['E', 'DnsEntries'] }] }, Export: { Name: 'Net:Dns' } },
            },
          },
        ),
      },
      {
        key: 'Svc',
        template: T({
          R: {
            Type: 'X::R',
            Properties: {
              D: {
                'Fn::Select': [
                  1,
                  {
                    'Fn::Split': [
                      ':',
                      { 'Fn::Select': [0, { 'Fn::Split': ['||', { 'Fn::ImportValue': 'Net:Dns' }] }] },
                    ],
                  },
                ],
              },
            },
          },
        }),
      },
    );
    const d = prop(g, 'Svc|R', 'D');
    expect(d).toBeInstanceOf(Opaque);
    expect(sourceRef(d)).toEqual(new ResRef('Net|E', 'DnsEntries'));
  });

  test('Fn::Select and Fn::FindInMap evaluate when their inputs are known', () => {
    const g = graph({
      key: 'S',
      template: T(
        {
          B: {
            Type: 'X',
            Properties: {
              S: { 'Fn::Select': ['1', ['a', 'b']] },
              M: { 'Fn::FindInMap': ['Map', 'k1', 'k2'] },
              U: { 'Fn::Select': [5, ['a']] },
            },
          },
        },
        { Mappings: { Map: { k1: { k2: 'found' } } } },
      ),
    });
    expect(prop(g, 'S|B', 'S')).toBe('b');
    expect(prop(g, 'S|B', 'M')).toBe('found');
    expect(prop(g, 'S|B', 'U')).toBeInstanceOf(Opaque);
  });

  test('parameters are unknown values with a stable identity', () => {
    const g = graph({
      key: 'S',
      template: T(
        { B: { Type: 'X', Properties: { P: { Ref: 'VpcId' } } } },
        { Parameters: { VpcId: { Type: 'String' } } },
      ),
    });
    expect(prop(g, 'S|B', 'P')).toEqual(new Opaque('param', 'S#VpcId'));
  });

  test('Fn::ImportValue follows the export to its producer; unknown exports keep their name as identity', () => {
    const g = graph(
      {
        key: 'P',
        template: T(
          { A: { Type: 'X' } },
          { Outputs: { O: { Value: { Ref: 'A' }, Export: { Name: { 'Fn::Sub': 'p-${AWS::StackName}' } } } } },
        ),
        name: 'prod',
      },
      {
        key: 'C',
        template: T({
          B: { Type: 'X', Properties: { I: { 'Fn::ImportValue': 'p-prod' }, U: { 'Fn::ImportValue': 'elsewhere' } } },
        }),
      },
    );
    expect(prop(g, 'C|B', 'I')).toEqual(new ResRef('P|A'));
    expect(prop(g, 'C|B', 'U')).toEqual(new Opaque('import', 'elsewhere'));
  });

  test('Fn::GetStackOutput follows the output of the named stack', () => {
    const g = graph(
      {
        key: 'P',
        name: 'producer',
        template: T({ A: { Type: 'X' } }, { Outputs: { O: { Value: { 'Fn::GetAtt': ['A', 'Arn'] } } } }),
      },
      {
        key: 'C',
        template: T({
          B: {
            Type: 'X',
            Properties: {
              V: { 'Fn::GetStackOutput': { StackName: 'producer', OutputName: 'O' } },
              U: { 'Fn::GetStackOutput': { StackName: 'other', OutputName: 'O' } },
            },
          },
        }),
      },
    );
    expect(prop(g, 'C|B', 'V')).toEqual(new ResRef('P|A', 'Arn'));
    expect(prop(g, 'C|B', 'U')).toEqual(new Opaque('stack-output', 'other.O'));
  });

  test('nested stacks: parameters take what the parent passes, Outputs.X reads the nested output', () => {
    const g = graph(
      {
        key: 'P',
        template: T({
          Vpc: { Type: 'AWS::EC2::VPC' },
          Nested: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { VpcRef: { Ref: 'Vpc' } } } },
          User: { Type: 'X', Properties: { Fn: { 'Fn::GetAtt': ['Nested', 'Outputs.FnArn'] } } },
        }),
      },
      {
        key: 'P/Nested',
        parent: { key: 'P', logicalId: 'Nested' },
        template: T(
          { Fn: { Type: 'X', Properties: { V: { Ref: 'VpcRef' } } } },
          {
            Parameters: { VpcRef: { Type: 'String' } },
            Outputs: { FnArn: { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
          },
        ),
      },
    );
    expect(prop(g, 'P/Nested|Fn', 'V')).toEqual(new ResRef('P|Vpc'));
    expect(prop(g, 'P|User', 'Fn')).toEqual(new ResRef('P/Nested|Fn', 'Arn'));
  });

  test('cycles of imports end as unknown, not in a loop', () => {
    const g = graph(
      { key: 'A', template: T({}, { Outputs: { O: { Value: { 'Fn::ImportValue': 'b' }, Export: { Name: 'a' } } } }) },
      {
        key: 'B',
        template: T(
          { R: { Type: 'X', Properties: { V: { 'Fn::ImportValue': 'a' } } } },
          { Outputs: { O: { Value: { 'Fn::ImportValue': 'a' }, Export: { Name: 'b' } } } },
        ),
      },
    );
    expect(prop(g, 'B|R', 'V')).toBeInstanceOf(Opaque);
  });

  test('other intrinsics are unknown', () => {
    const g = graph({
      key: 'S',
      template: T({ B: { Type: 'X', Properties: { I: { 'Fn::If': ['C', 1, 2] }, G: { 'Fn::GetAZs': '' } } } }),
    });
    expect(prop(g, 'S|B', 'I')).toBeInstanceOf(Opaque);
    expect(prop(g, 'S|B', 'G')).toBeInstanceOf(Opaque);
  });
});

describe('Fn::Split and Fn::Select over known parts', () => {
  /** CDK's `api.url`: `https://{id}.execute-api.{region}.{suffix}/{stage}/`. */
  const apiUrl = {
    'Fn::Join': [
      '',
      [
        'https://',
        { Ref: 'Api' },
        '.execute-api.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/',
        { Ref: 'Stage' },
        '/',
      ],
    ],
  };
  const withProps = (props: Record<string, unknown>, region?: string) =>
    graph({
      key: 'S',
      region,
      template: T(
        {
          Api: { Type: 'AWS::ApiGateway::RestApi' },
          Stage: { Type: 'AWS::ApiGateway::Stage' },
          SubA: { Type: 'AWS::EC2::Subnet' },
          SubB: { Type: 'AWS::EC2::Subnet' },
          Bucket: { Type: 'AWS::S3::Bucket' },
          R: { Type: 'X::R', Properties: props },
        },
        { Parameters: { Host: { Type: 'String' } } },
      ),
    });

  test('Fn::Split of a literal is its list; a separator it does not hold gives the whole string', () => {
    const g = withProps({ A: { 'Fn::Split': [',', 'a,b,,c'] }, B: { 'Fn::Split': ['/', 'abc'] } });
    expect(prop(g, 'S|R', 'A')).toEqual(['a', 'b', '', 'c']);
    expect(prop(g, 'S|R', 'B')).toEqual(['abc']);
  });

  test("CDK's Fn.select(2, Fn.split('/', api.url)) is the API's hostname, in a stack of known region", () => {
    const g = withProps({ H: { 'Fn::Select': [2, { 'Fn::Split': ['/', apiUrl] }] } }, 'eu-west-1');
    expect(prop(g, 'S|R', 'H')).toEqual(new Concat([new ResRef('S|Api'), '.execute-api.eu-west-1.amazonaws.com']));
  });

  test('the same in an environment-agnostic stack: the region and URL suffix stay unknown parts of the hostname', () => {
    const g = withProps({ H: { 'Fn::Select': [2, { 'Fn::Split': ['/', apiUrl] }] } });
    expect(prop(g, 'S|R', 'H')).toEqual(
      new Concat([
        new ResRef('S|Api'),
        '.execute-api.',
        new Opaque('pseudo', 'AWS::Region'),
        '.',
        new Opaque('pseudo', 'AWS::URLSuffix'),
      ]),
    );
  });

  test('the whole split of a URL made of parts that cannot hold the separator is a list; the stage is its own item', () => {
    const g = withProps({ L: { 'Fn::Split': ['/', apiUrl] } }, 'cn-north-1');
    expect(prop(g, 'S|R', 'L')).toEqual([
      'https:',
      '',
      new Concat([new ResRef('S|Api'), '.execute-api.cn-north-1.amazonaws.com.cn']),
      new ResRef('S|Stage'),
      '',
    ]);
  });

  test('a part that may hold the separator makes its item and the later ones unknown; earlier items stay known', () => {
    const url = { 'Fn::Join': ['', ['https://', { Ref: 'Host' }, '/prod/x']] };
    const g = withProps({
      First: { 'Fn::Select': [0, { 'Fn::Split': ['/', url] }] },
      Host: { 'Fn::Select': [2, { 'Fn::Split': ['/', url] }] },
      Later: { 'Fn::Select': [3, { 'Fn::Split': ['/', url] }] },
      All: { 'Fn::Split': ['/', url] },
    });
    expect(prop(g, 'S|R', 'First')).toBe('https:');
    expect(prop(g, 'S|R', 'Host')).toBeInstanceOf(Opaque);
    expect(prop(g, 'S|R', 'Later')).toBeInstanceOf(Opaque);
    expect(prop(g, 'S|R', 'All')).toBeInstanceOf(Opaque);
  });

  test("a pseudo parameter holds the separator when it may: '-' in a region, '.' in the URL suffix", () => {
    const host = { 'Fn::Sub': 'a.${AWS::Region}.${AWS::URLSuffix}' };
    const g = withProps({
      Dash: { 'Fn::Select': [0, { 'Fn::Split': ['-', host] }] },
      DotRegion: { 'Fn::Select': [1, { 'Fn::Split': ['.', host] }] },
      DotSuffix: { 'Fn::Select': [2, { 'Fn::Split': ['.', host] }] },
    });
    expect(prop(g, 'S|R', 'Dash')).toBeInstanceOf(Opaque);
    expect(prop(g, 'S|R', 'DotRegion')).toEqual(new Opaque('pseudo', 'AWS::Region'));
    expect(prop(g, 'S|R', 'DotSuffix')).toBeInstanceOf(Opaque);
  });

  test("a list of subnets joined for an export and split again is the subnets; another resource's Ref is unknown", () => {
    const g = withProps({
      Subnets: { 'Fn::Split': [',', { 'Fn::Join': [',', [{ Ref: 'SubA' }, { Ref: 'SubB' }]] }] },
      Other: { 'Fn::Split': [',', { 'Fn::Join': [',', [{ Ref: 'Bucket' }, 'x']] }] },
      Attr: { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::GetAtt': ['Api', 'RootResourceId'] }] }] },
    });
    expect(prop(g, 'S|R', 'Subnets')).toEqual([new ResRef('S|SubA'), new ResRef('S|SubB')]);
    expect(prop(g, 'S|R', 'Other')).toBeInstanceOf(Opaque);
    expect(sourceRef(prop(g, 'S|R', 'Attr'))).toEqual(new ResRef('S|Api', 'RootResourceId'));
  });

  test('an Fn::Split with a malformed argument is unknown', () => {
    const g = withProps({
      A: { 'Fn::Split': ['', 'abc'] },
      B: { 'Fn::Split': [',', ['a']] },
      C: { 'Fn::Select': [0, { 'Fn::Split': 'a,b' }] },
    });
    expect(prop(g, 'S|R', 'A')).toBeInstanceOf(Opaque);
    expect(prop(g, 'S|R', 'B')).toBeInstanceOf(Opaque);
    expect(prop(g, 'S|R', 'C')).toBeInstanceOf(Opaque);
  });
});

/** Any JSON, with intrinsic-looking objects mixed in. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
    fc.record({ Ref: fc.oneof(fc.string(), tie('value')) }),
    fc.record({ 'Fn::GetAtt': tie('value') }),
    fc.record({ 'Fn::Join': tie('value') }),
    fc.record({ 'Fn::Sub': tie('value') }),
    fc.record({ 'Fn::ImportValue': tie('value') }),
    fc.record({ 'Fn::Select': tie('value') }),
    fc.record({ 'Fn::FindInMap': tie('value') }),
    fc.record({ 'Fn::GetStackOutput': tie('value') }),
  ),
})).value;

const TYPES = [
  'AWS::EC2::VPCEndpoint',
  'AWS::Lambda::Function',
  'AWS::ApiGateway::RestApi',
  'AWS::EC2::Subnet',
  'AWS::Route53::RecordSet',
  'AWS::ECS::Service',
  'AWS::IAM::Role',
  'Custom::X',
];

/** A value that is sometimes well formed, sometimes anything. */
const maybe = (good: fc.Arbitrary<unknown>) => fc.oneof(good, jsonValue);
const ref = fc
  .constantFrom('Vpc', 'Subnet', 'Api', 'Fn', 'Endpoint', 'Role', 'Domain', 'Nope')
  .map((r) => ({ Ref: r }));
const url = fc.oneof(
  fc.constant({ 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod' }),
  fc.constant('https://abc123defg.execute-api.us-east-1.amazonaws.com/x'),
  fc.record({
    'Fn::GetAtt': fc.tuple(fc.constantFrom('Api', 'Domain'), fc.constantFrom('ApiEndpoint', 'RegionalDomainName')),
  }),
  ref,
);
/** Resources of the shapes the facts read, with any value anywhere. */
const plausible = fc.record({
  Vpc: fc.record({ Type: fc.constant('AWS::EC2::VPC'), Properties: maybe(fc.constant({})) }),
  Subnet: fc.record({
    Type: fc.constant('AWS::EC2::Subnet'),
    Properties: maybe(fc.record({ VpcId: maybe(ref), MapPublicIpOnLaunch: maybe(fc.boolean()) })),
  }),
  Endpoint: fc.record({
    Type: fc.constant('AWS::EC2::VPCEndpoint'),
    Properties: maybe(
      fc.record({
        VpcEndpointType: maybe(fc.constant('Interface')),
        ServiceName: maybe(fc.constantFrom('com.amazonaws.us-east-1.execute-api', 'com.amazonaws.eu-west-1.sqs')),
        VpcId: maybe(ref),
        SubnetIds: maybe(fc.array(ref)),
        PrivateDnsEnabled: maybe(fc.boolean()),
      }),
    ),
  }),
  Api: fc.record({
    Type: fc.constantFrom('AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api', 'AWS::Serverless::Api'),
    Properties: maybe(
      fc.record({
        EndpointConfiguration: maybe(
          fc.record({ Types: maybe(fc.array(fc.constantFrom('REGIONAL', 'PRIVATE', 'EDGE'))) }),
        ),
      }),
    ),
  }),
  Domain: fc.record({
    Type: fc.constantFrom('AWS::ApiGateway::DomainName', 'AWS::ApiGatewayV2::DomainName'),
    Properties: maybe(fc.record({ DomainName: maybe(fc.constant('api.example.com')) })),
  }),
  Record: fc.record({
    Type: fc.constantFrom('AWS::Route53::RecordSet', 'AWS::Route53::RecordSetGroup'),
    Properties: maybe(
      fc.record({
        Name: maybe(fc.constant('api.example.com.')),
        Type: maybe(fc.constant('CNAME')),
        ResourceRecords: maybe(fc.array(url)),
        RecordSets: jsonValue,
      }),
    ),
  }),
  Role: fc.record({
    Type: fc.constant('AWS::IAM::Role'),
    Properties: maybe(
      fc.record({
        Policies: maybe(
          fc.array(
            fc.record({
              PolicyDocument: maybe(
                fc.record({
                  Statement: maybe(
                    fc.array(
                      fc.record({
                        Effect: maybe(fc.constant('Allow')),
                        Action: maybe(fc.constant('execute-api:*')),
                        Resource: maybe(url),
                      }),
                    ),
                  ),
                }),
              ),
            }),
          ),
        ),
      }),
    ),
  }),
  Fn: fc.record({
    Type: fc.constantFrom(
      'AWS::Lambda::Function',
      'AWS::CodeBuild::Project',
      'AWS::EC2::Instance',
      'AWS::ECS::Service',
      'AWS::AutoScaling::AutoScalingGroup',
    ),
    Properties: maybe(
      fc.record({
        VpcConfig: maybe(
          fc.record({
            SubnetIds: maybe(fc.array(ref)),
            SecurityGroupIds: maybe(fc.array(ref)),
            Subnets: maybe(fc.array(ref)),
          }),
        ),
        Environment: maybe(
          fc.record({
            Variables: maybe(fc.dictionary(fc.string({ maxLength: 4 }), url)),
            EnvironmentVariables: jsonValue,
          }),
        ),
        Role: maybe(fc.record({ 'Fn::GetAtt': fc.constant(['Role', 'Arn']) })),
        SubnetId: maybe(ref),
        UserData: maybe(url),
        NetworkConfiguration: jsonValue,
        VPCZoneIdentifier: maybe(fc.array(ref)),
      }),
    ),
  }),
});

describe('property: any template', () => {
  test('with resources of the shapes the facts read, builds, derives facts and runs every rule without throwing', () => {
    fc.assert(
      fc.property(plausible, (resources) => {
        const g = ResourceGraph.fromStacks([{ key: 'S', template: { Resources: resources } }]);
        expect(analyzeGraph(g).diagnostics).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  test('builds a graph, derives facts and runs every rule without throwing', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('A', 'B', 'C', 'Vpc', 'Api', 'Fn'),
          fc.record({ Type: fc.constantFrom(...TYPES), Properties: jsonValue, Metadata: jsonValue }),
          { maxKeys: 6 },
        ),
        jsonValue,
        (resources, outputs) => {
          const g = ResourceGraph.fromStacks([
            { key: 'S', template: { Resources: resources, Outputs: outputs as never } },
          ]);
          deriveFacts(g);
          expect(analyzeGraph(g).diagnostics).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});
