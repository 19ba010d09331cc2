/**
 * The engine under odd input (issue B): one odd resource costs that resource's fact, one failing
 * fact family costs the rules that read it, and unknown values never fall back to a concrete default.
 */
import { analyzeGraph } from '../../src/analyze';
import { deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';

type Json = { [k: string]: any };

/** A VPC Lambda that calls a public REST API on its default hostname, inside a VPC whose execute-api endpoint has private DNS on. */
function trap(overrides: { api?: Json; endpoint?: Json; extra?: Json } = {}): Json {
  return {
    Parameters: { Region: { Type: 'String' }, Stage: { Type: 'String' } },
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: { Ref: 'Vpc' } } },
      Endpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.eu-west-1.execute-api',
          PrivateDnsEnabled: true,
          SubnetIds: [{ Ref: 'Subnet' }],
          ...overrides.endpoint,
        },
      },
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'payments', EndpointConfiguration: { Types: ['REGIONAL'] }, ...overrides.api },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::123456789012:role/r',
          Code: { ZipFile: 'x' },
          VpcConfig: { SubnetIds: [{ Ref: 'Subnet' }], SecurityGroupIds: [{ Ref: 'Sg' }] },
          Environment: {
            Variables: { API_URL: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/' } },
          },
        },
      },
      ...overrides.extra,
    },
  };
}

function graphOf(template: Json): ResourceGraph {
  return ResourceGraph.fromStacks([{ key: 'S', region: 'eu-west-1', account: '123456789012', template }]);
}

function rulesOf(template: Json | ResourceGraph): string[] {
  const g = template instanceof ResourceGraph ? template : graphOf(template);
  return analyzeGraph(g).findings.map((f) => `${f.ruleName} ${f.resource.logicalId}`);
}

/** Replaces a resource's properties with ones whose every read throws, as a stand-in for any bug in a reader. */
function poison(g: ResourceGraph, key: string): void {
  const node = g.get(key)! as { properties: Json };
  node.properties = new Proxy(
    {},
    {
      get() {
        throw new Error('odd value');
      },
    },
  );
}

describe('the trap fixture', () => {
  test('raises rule 1 on the caller', () => {
    expect(rulesOf(trap())).toEqual(['PrivateDnsShadowsPublicApi Fn']);
  });
});

describe('odd condition operators cost only their statement', () => {
  test.each([
    ['an empty operator', ''],
    ['a line break in the operator', 'String\nEquals'],
    ['only a set prefix', 'ForAnyValue:'],
    ['only IfExists', 'IfExists'],
  ])('%s', (_, op) => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { [op]: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
    };
    const t = trap({ api: { Policy: policy } });
    expect(() => deriveFacts(graphOf(t))).not.toThrow();
    const a = analyzeGraph(graphOf(t));
    expect(a.diagnostics).toEqual([]);
    expect(a.findings.map((f) => f.ruleName)).toEqual(['PrivateDnsShadowsPublicApi']);
  });
});

describe('a resource whose facts cannot be read', () => {
  test('is left out, named in one diagnostic; the other resources and rules are read as usual', () => {
    const t = trap({
      extra: {
        Other: { ...trap().Resources.Fn },
      },
    });
    const g = graphOf(t);
    expect(rulesOf(g)).toEqual(['PrivateDnsShadowsPublicApi Fn', 'PrivateDnsShadowsPublicApi Other']);
    const g2 = graphOf(t);
    poison(g2, 'S|Other');
    const a = analyzeGraph(g2);
    expect(a.findings.map((f) => `${f.ruleName} ${f.resource.logicalId}`)).toEqual(['PrivateDnsShadowsPublicApi Fn']);
    expect(a.diagnostics).toEqual([
      'S/Other could not be read for the caller facts (odd value); it is left out of them',
    ]);
  });

  test('an API that cannot be read costs its own facts only', () => {
    const t = trap({ extra: { Other: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'x' } } } });
    const g = graphOf(t);
    poison(g, 'S|Other');
    const a = analyzeGraph(g);
    expect(a.findings.map((f) => `${f.ruleName} ${f.resource.logicalId}`)).toEqual(['PrivateDnsShadowsPublicApi Fn']);
    expect(a.diagnostics[0]).toBe('S/Other could not be read for the API facts (odd value); it is left out of them');
  });
});

describe('a fact family that cannot be derived', () => {
  test('silences the rules that read it, and only those', () => {
    // A usage-plan finding that needs no endpoint facts, beside the private-DNS trap that does.
    const t = trap({
      extra: {
        Root: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
            HttpMethod: 'GET',
            AuthorizationType: 'NONE',
            ApiKeyRequired: true,
          },
        },
        Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
        Prod: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', DeploymentId: { Ref: 'Deployment' } },
        },
      },
    });
    expect(rulesOf(t)).toEqual(['ApiKeyWithoutUsagePlan Api', 'PrivateDnsShadowsPublicApi Fn']);
    const g = graphOf(t);
    poison(g, 'S|Endpoint');
    const a = analyzeGraph(g);
    expect(a.findings.map((f) => `${f.ruleName} ${f.resource.logicalId}`)).toEqual(['ApiKeyWithoutUsagePlan Api']);
    expect(a.diagnostics[0]).toBe(
      'the VPC facts could not be derived (odd value); the rules that read them stay silent',
    );
    // The endpoint is read for the VPC facts first (it ties subnets to VPCs): every family built on them fails with them.
    expect(a.diagnostics).toHaveLength(2);
    expect(a.diagnostics[1]).toMatch(
      /^without the VPC facts, ApiReachability-CustomDomainUrlIncludesStage, .* did not run$/,
    );
    expect(a.diagnostics[1]).toContain('ApiReachability-PrivateDnsShadowsPublicApi');
    expect(a.diagnostics[1]).not.toContain('ApiReachability-ApiKeyWithoutUsagePlan');
  });
});

describe('unknown values are unknown, not a default', () => {
  test('an EndpointConfiguration that is a Fn::If is not read as EDGE', () => {
    const t = trap({
      api: { EndpointConfiguration: { 'Fn::If': ['IsPrivate', { Types: ['PRIVATE'] }, { Types: ['REGIONAL'] }] } },
    });
    t.Conditions = { IsPrivate: { 'Fn::Equals': [{ Ref: 'Stage' }, 'internal'] } };
    expect(deriveFacts(graphOf(t)).apis.map((a) => [a.resource.logicalId, a.endpointType, a.isPublic])).toEqual([
      ['Api', undefined, undefined],
    ]);
    expect(rulesOf(t)).toEqual([]);
  });

  test('a custom domain whose EndpointConfiguration is a Fn::If has no endpoint type', () => {
    const t = trap({
      extra: {
        Domain: {
          Type: 'AWS::ApiGateway::DomainName',
          Properties: {
            DomainName: 'api.example.com',
            EndpointConfiguration: { 'Fn::If': ['C', { Types: ['EDGE'] }, { Types: ['REGIONAL'] }] },
          },
        },
      },
    });
    t.Conditions = { C: { 'Fn::Equals': [{ Ref: 'Stage' }, 'x'] } };
    expect(deriveFacts(graphOf(t)).domains.map((d) => [d.resource.logicalId, d.endpointType])).toEqual([
      ['Domain', undefined],
    ]);
  });

  test('a SAM API whose StageName is a parameter has unknown stages (no stage named "undefined")', () => {
    const t = trap();
    delete t.Resources.Api;
    t.Transform = 'AWS::Serverless-2016-10-31';
    t.Resources.Api = {
      Type: 'AWS::Serverless::Api',
      Properties: { StageName: { Ref: 'Stage' }, EndpointConfiguration: 'REGIONAL' },
    };
    const f = deriveFacts(graphOf(t));
    const d = f.apiDetails.get('S|Api')!;
    expect(d.stagesKnown).toBe(false);
    expect(analyzeGraph(graphOf(t)).findings.map((x) => x.ruleName)).not.toContain('UnknownStageInUrl');
  });

  test('a parameter in the region part of an endpoint ServiceName is not "every region"', () => {
    const t = trap({ endpoint: { ServiceName: { 'Fn::Sub': 'com.amazonaws.${Region}.execute-api' } } });
    const f = deriveFacts(graphOf(t));
    expect(f.endpoints.all.map((e) => [e.resource.logicalId, e.region, e.regionUncertain])).toEqual([
      ['Endpoint', 'eu-west-1', true],
    ]);
    expect(rulesOf(t)).toEqual([]);
  });

  test('AWS::Region in the ServiceName is the stack region', () => {
    const t = trap({ endpoint: { ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.execute-api' } } });
    expect(rulesOf(t)).toEqual(['PrivateDnsShadowsPublicApi Fn']);
  });
});

describe('findings do not depend on key order', () => {
  // Regression (issue B): the evidence de-duplication ignored the URL path, so which of a right-stage
  // and a wrong-stage URL was kept (and whether UnknownStageInUrl fired) followed the key order.
  const withStage = (variables: Json): Json => {
    const t = trap({ endpoint: { PrivateDnsEnabled: false } });
    t.Resources.Deployment = { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } };
    t.Resources.Prod = {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', DeploymentId: { Ref: 'Deployment' } },
    };
    t.Resources.Fn.Properties.Environment.Variables = variables;
    return t;
  };
  const url = (stage: string) => ({ 'Fn::Sub': `https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com/${stage}/` });
  const placed = (t: Json) =>
    analyzeGraph(graphOf(t)).findings.map((f) => [f.ruleName, f.resource.logicalId, f.location]);

  test.each([
    ['the right URL first', { RIGHT: url('prod'), WRONG: url('beta') }],
    ['the wrong URL first', { WRONG: url('beta'), RIGHT: url('prod') }],
  ])('%s', (_, variables) => {
    expect(placed(withStage(variables))).toEqual([
      ['UnknownStageInUrl', 'Fn', 'Properties.Environment.Variables.WRONG'],
    ]);
  });

  test('the location of a finding that two URLs show is the same in either order', () => {
    const a = placed(trap());
    const t1 = trap();
    t1.Resources.Fn.Properties.Environment.Variables = { A_URL: url('prod'), B_URL: url('prod/x') };
    const t2 = trap();
    t2.Resources.Fn.Properties.Environment.Variables = { B_URL: url('prod/x'), A_URL: url('prod') };
    expect(a).toEqual([['PrivateDnsShadowsPublicApi', 'Fn', 'Properties.Environment.Variables.API_URL']]);
    expect(placed(t1)).toEqual([['PrivateDnsShadowsPublicApi', 'Fn', 'Properties.Environment.Variables.A_URL']]);
    expect(placed(t2)).toEqual(placed(t1));
  });

  test('two variables with the same URL: the same call, kept by location in either order', () => {
    const t1 = trap();
    t1.Resources.Fn.Properties.Environment.Variables = { B_URL: url('prod'), A_URL: url('prod') };
    const t2 = trap();
    t2.Resources.Fn.Properties.Environment.Variables = { A_URL: url('prod'), B_URL: url('prod') };
    expect(deriveFacts(graphOf(t1)).calls.map((c) => c.location)).toEqual(['Properties.Environment.Variables.A_URL']);
    expect(deriveFacts(graphOf(t2)).calls.map((c) => c.location)).toEqual(['Properties.Environment.Variables.A_URL']);
  });
});
