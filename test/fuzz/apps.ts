/**
 * Random CDK apps for the fuzz tests: VPCs with subnets of every kind, execute-api (and other)
 * endpoints with private DNS on, off or unknown (a CfnParameter), REST, HTTP and private APIs with
 * policies, domains, mappings and usage plans, VPC Lambda callers that hold the APIs' URLs, across
 * stacks, Stages and nested stacks, with escape-hatch overrides of odd values.
 *
 * A spec (what fast-check generates and shrinks) is built into an app by `buildApp`; `order`
 * permutes the order in which the constructs are created, and must not change the findings.
 */
import { App, CfnMapping, CfnParameter, CfnResource, Fn, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';

export type Layout = 'one-stack' | 'cross-stack' | 'nested' | 'stage';
export type SubnetKind = 'PUBLIC' | 'PRIVATE_WITH_EGRESS' | 'PRIVATE_ISOLATED';

export interface VpcSpec {
  readonly subnets: SubnetKind[];
  readonly natGateways: number;
}
export interface EndpointSpec {
  readonly vpc: number;
  readonly service: 'execute-api' | 'sqs';
  readonly dns: 'on' | 'off' | 'default' | 'param';
}
export interface ApiSpec {
  readonly kind: 'REGIONAL' | 'EDGE' | 'PRIVATE' | 'HTTP';
  readonly policy: 'none' | 'any' | 'endpoint' | 'vpc' | 'deny' | 'not-endpoint';
  readonly endpoint: number;
  readonly disableDefault: boolean;
  readonly stage: string;
  readonly iamAuth: boolean;
  readonly apiKey: boolean;
  readonly usagePlan: boolean;
  readonly domain: 'none' | 'mapped' | 'unmapped';
}
export interface CallerSpec {
  readonly vpc: number;
  readonly subnet: SubnetKind;
  readonly api: number;
  readonly evidence: 'url' | 'path' | 'wrong-stage' | 'literal' | 'mapping' | 'id' | 'domain' | 'none';
  readonly grant: boolean;
  /** Which stack it lives in (cross-stack references when it differs from its API's). */
  readonly stack: number;
}
export interface OverrideSpec {
  readonly target: 'endpoint' | 'api' | 'caller';
  readonly index: number;
  readonly path: number;
  readonly value: number;
}
export interface AppSpec {
  readonly layout: Layout;
  readonly vpcs: VpcSpec[];
  readonly endpoints: EndpointSpec[];
  readonly apis: ApiSpec[];
  readonly callers: CallerSpec[];
  readonly overrides: OverrideSpec[];
}

const subnetKind = fc.constantFrom<SubnetKind>('PUBLIC', 'PRIVATE_WITH_EGRESS', 'PRIVATE_ISOLATED');

export const appSpecArb: fc.Arbitrary<AppSpec> = fc.record({
  layout: fc.constantFrom<Layout>('one-stack', 'cross-stack', 'nested', 'stage'),
  vpcs: fc.array(
    fc.record({ subnets: fc.uniqueArray(subnetKind, { minLength: 1, maxLength: 3 }), natGateways: fc.nat(1) }),
    { minLength: 1, maxLength: 2 },
  ),
  endpoints: fc.array(
    fc.record({
      vpc: fc.nat(9),
      service: fc.constantFrom<'execute-api' | 'sqs'>('execute-api', 'execute-api', 'sqs'),
      dns: fc.constantFrom<'on' | 'off' | 'default' | 'param'>('on', 'off', 'default', 'param'),
    }),
    { maxLength: 2 },
  ),
  apis: fc.array(
    fc.record({
      kind: fc.constantFrom<ApiSpec['kind']>('REGIONAL', 'EDGE', 'PRIVATE', 'HTTP'),
      policy: fc.constantFrom<ApiSpec['policy']>('none', 'any', 'endpoint', 'vpc', 'deny', 'not-endpoint'),
      endpoint: fc.nat(9),
      disableDefault: fc.boolean(),
      stage: fc.constantFrom('prod', 'dev', 'v1'),
      iamAuth: fc.boolean(),
      apiKey: fc.boolean(),
      usagePlan: fc.boolean(),
      domain: fc.constantFrom<ApiSpec['domain']>('none', 'none', 'mapped', 'unmapped'),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  callers: fc.array(
    fc.record({
      vpc: fc.nat(9),
      subnet: subnetKind,
      api: fc.nat(9),
      evidence: fc.constantFrom<CallerSpec['evidence']>(
        'url',
        'path',
        'wrong-stage',
        'literal',
        'mapping',
        'id',
        'domain',
        'none',
      ),
      grant: fc.boolean(),
      stack: fc.nat(2),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  overrides: fc.array(
    fc.record({
      target: fc.constantFrom<OverrideSpec['target']>('endpoint', 'api', 'caller'),
      index: fc.nat(9),
      path: fc.nat(9),
      value: fc.nat(99),
    }),
    { maxLength: 3 },
  ),
});

const URLS = { 'us-east-1': { api: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/' } };

const ODD: unknown[] = [
  42,
  'yes',
  'TRUE',
  null,
  [],
  {},
  [1, null, true],
  { odd: [1, null, true] },
  { 'Fn::If': ['NoSuchCondition', true, false] },
  { Ref: 'AWS::NoValue' },
  { 'Fn::GetAtt': ['NoSuchResource', 'Arn'] },
  'x'.repeat(5000),
];

const OVERRIDE_PATHS: { [target: string]: string[] } = {
  endpoint: ['PrivateDnsEnabled', 'ServiceName', 'VpcEndpointType', 'VpcId', 'SubnetIds', 'PolicyDocument'],
  api: [
    'EndpointConfiguration.Types',
    'EndpointConfiguration',
    'Policy',
    'DisableExecuteApiEndpoint',
    'Name',
    'ProtocolType',
  ],
  caller: ['VpcConfig.SubnetIds', 'VpcConfig', 'Environment.Variables', 'Environment.Variables.API_URL', 'Role'],
};

/** The permutation of `n` items that `order` draws (order = 0 is the identity). */
function permutation(n: number, order: number): number[] {
  const out = [...Array(n).keys()];
  let s = order % 2147483647;
  for (let i = n - 1; i > 0 && s > 0; i--) {
    s = (s * 48271) % 2147483647; // Park-Miller: a fixed sequence per order
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

interface MadeApi {
  readonly construct: IConstruct;
  readonly cfn: CfnResource;
  readonly url: string;
  readonly id: string;
  readonly arnForInvoke: string;
  readonly domainName?: string;
}

/** The app of a spec. `order` changes only the order in which constructs are created. */
export function buildApp(spec: AppSpec, order = 0): App {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
  const root: Construct = spec.layout === 'stage' ? new Stage(app, 'Prod') : app;

  // Stacks: Net (VPCs, endpoints), Apis, Svc (callers); merged or nested by layout.
  const stacks: { [name: string]: Stack } = {};
  if (spec.layout === 'one-stack') {
    const one = new Stack(root, 'Net');
    for (const n of ['Net', 'Apis', 'Svc']) stacks[n] = one;
  } else if (spec.layout === 'nested') {
    stacks.Net = new Stack(root, 'Net');
    for (const n of permutation(2, order).map((i) => ['Apis', 'Svc'][i])) stacks[n] = new NestedStack(stacks.Net, n);
  } else {
    for (const n of permutation(3, order).map((i) => ['Net', 'Apis', 'Svc'][i])) stacks[n] = new Stack(root, n);
  }

  const vpcs: ec2.Vpc[] = spec.vpcs.map((v, i) => {
    // Private subnets with egress need a public subnet for their NAT gateway.
    const kinds =
      v.subnets.includes('PRIVATE_WITH_EGRESS') && !v.subnets.includes('PUBLIC')
        ? [...v.subnets, 'PUBLIC' as const]
        : v.subnets;
    return new ec2.Vpc(stacks.Net, `Vpc${i}`, {
      maxAzs: 1,
      natGateways: kinds.includes('PRIVATE_WITH_EGRESS') ? 1 : 0,
      subnetConfiguration: kinds.map((k) => ({ name: k.replace(/_/g, ''), subnetType: ec2.SubnetType[k] })),
    });
  });
  const subnetsOf = (vpc: ec2.Vpc, kind: SubnetKind): ec2.ISubnet[] =>
    kind === 'PUBLIC' ? vpc.publicSubnets : kind === 'PRIVATE_WITH_EGRESS' ? vpc.privateSubnets : vpc.isolatedSubnets;
  const anySubnets = (vpc: ec2.Vpc, first: SubnetKind): ec2.ISubnet[] =>
    [first, 'PRIVATE_ISOLATED' as const, 'PRIVATE_WITH_EGRESS' as const, 'PUBLIC' as const]
      .map((k) => subnetsOf(vpc, k))
      .find((s) => s.length > 0) ?? [];

  const endpoints: ec2.InterfaceVpcEndpoint[] = [];
  for (const i of permutation(spec.endpoints.length, order)) {
    const e = spec.endpoints[i];
    const vpc = vpcs[e.vpc % vpcs.length];
    const ep = new ec2.InterfaceVpcEndpoint(stacks.Net, `Endpoint${i}`, {
      vpc,
      service:
        e.service === 'execute-api'
          ? ec2.InterfaceVpcEndpointAwsService.APIGATEWAY
          : ec2.InterfaceVpcEndpointAwsService.SQS,
      privateDnsEnabled: e.dns === 'on' ? true : e.dns === 'off' ? false : undefined,
      subnets: { subnets: anySubnets(vpc, 'PRIVATE_ISOLATED') },
    });
    if (e.dns === 'param') {
      const p = new CfnParameter(stacks.Net, `Dns${i}`, { type: 'String', allowedValues: ['true', 'false'] });
      (ep.node.defaultChild as ec2.CfnVPCEndpoint).privateDnsEnabled = p.valueAsString as unknown as boolean;
    }
    endpoints[i] = ep;
  }

  const apis: MadeApi[] = [];
  for (const i of permutation(spec.apis.length, order)) apis[i] = makeApi(stacks.Apis, i, spec.apis[i], endpoints);

  const mapping = new CfnMapping(stacks.Svc, 'Urls', { mapping: URLS });
  const callers: lambda.Function[] = [];
  // Callers live in Svc or beside their APIs (never in Net: Apis reads Net, a caller there would make a cycle).
  const svcStacks = [stacks.Svc, stacks.Apis];
  for (const i of permutation(spec.callers.length, order)) {
    const c = spec.callers[i];
    const vpc = vpcs[c.vpc % vpcs.length];
    const api = apis[c.api % apis.length];
    const scope = svcStacks[c.stack % 2];
    const value =
      c.evidence === 'url'
        ? api.url
        : c.evidence === 'path'
          ? `${api.url}orders/1`
          : c.evidence === 'wrong-stage'
            ? Fn.join('', ['https://', api.id, '.execute-api.us-east-1.amazonaws.com/nosuchstage/'])
            : c.evidence === 'literal'
              ? 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/orders'
              : c.evidence === 'mapping'
                ? (scope === stacks.Svc ? mapping : new CfnMapping(scope, `Urls${i}`, { mapping: URLS })).findInMap(
                    'us-east-1',
                    'api',
                  )
                : c.evidence === 'id'
                  ? api.id
                  : c.evidence === 'domain' && api.domainName
                    ? `https://${api.domainName}/v1/`
                    : undefined;
    const fn = new lambda.Function(scope, `Caller${i}`, {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      vpc,
      vpcSubnets: { subnets: anySubnets(vpc, c.subnet) },
      allowPublicSubnet: true,
      environment: value !== undefined ? { API_URL: value } : undefined,
    });
    if (c.grant) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForInvoke] }));
    }
    callers[i] = fn;
  }

  for (const o of spec.overrides) {
    const targets: IConstruct[] =
      o.target === 'endpoint' ? endpoints : o.target === 'api' ? apis.map((a) => a.construct) : callers;
    if (targets.length === 0) continue;
    const cfn = targets[o.index % targets.length].node.defaultChild as CfnResource;
    const paths = OVERRIDE_PATHS[o.target];
    cfn.addPropertyOverride(paths[o.path % paths.length], ODD[o.value % ODD.length]);
  }
  return app;
}

function makeApi(scope: Stack, i: number, a: ApiSpec, endpoints: ec2.InterfaceVpcEndpoint[]): MadeApi {
  const endpoint = endpoints.length > 0 ? endpoints[a.endpoint % endpoints.length] : undefined;
  if (a.kind === 'HTTP') {
    const api = new apigwv2.HttpApi(scope, `Http${i}`, {
      disableExecuteApiEndpoint: a.disableDefault,
      createDefaultStage: a.stage !== 'v1',
    });
    if (a.stage === 'v1') {
      new apigwv2.HttpStage(scope, `HttpStage${i}`, { httpApi: api, stageName: 'v1', autoDeploy: true });
    }
    return {
      construct: api,
      cfn: api.node.defaultChild as CfnResource,
      // apiEndpoint throws when the default endpoint is disabled: build the URL from the id then.
      url: Fn.join('', [
        'https://',
        api.apiId,
        '.execute-api.',
        Stack.of(api).region,
        '.',
        Stack.of(api).urlSuffix,
        a.stage === 'v1' ? '/v1/' : '/',
      ]),
      id: api.apiId,
      arnForInvoke: api.arnForExecuteApi(),
    };
  }
  const statements: iam.PolicyStatement[] = [];
  const invoke = (props: Partial<iam.PolicyStatementProps>) =>
    new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
      ...props,
    });
  switch (a.policy) {
    case 'any':
      statements.push(invoke({}));
      break;
    case 'endpoint':
      statements.push(
        invoke({ conditions: { StringEquals: { 'aws:SourceVpce': endpoint?.vpcEndpointId ?? 'vpce-0abc' } } }),
      );
      break;
    case 'vpc':
      statements.push(invoke({ conditions: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc' } } }));
      break;
    case 'deny':
      statements.push(invoke({}), invoke({ effect: iam.Effect.DENY }));
      break;
    case 'not-endpoint':
      statements.push(
        invoke({}),
        invoke({
          effect: iam.Effect.DENY,
          conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint?.vpcEndpointId ?? 'vpce-0abc' } },
        }),
      );
      break;
  }
  const type = apigw.EndpointType[a.kind];
  const api = new apigw.RestApi(scope, `Rest${i}`, {
    endpointConfiguration: {
      types: [type],
      vpcEndpoints: a.kind === 'PRIVATE' && endpoint && a.endpoint % 2 === 0 ? [endpoint] : undefined,
    },
    policy: statements.length > 0 ? new iam.PolicyDocument({ statements }) : undefined,
    disableExecuteApiEndpoint: a.disableDefault,
    deployOptions: { stageName: a.stage },
  });
  const method = api.root.addMethod('GET', new apigw.MockIntegration(), {
    authorizationType: a.iamAuth ? apigw.AuthorizationType.IAM : apigw.AuthorizationType.NONE,
    apiKeyRequired: a.apiKey,
  });
  if (a.usagePlan) {
    const plan = api.addUsagePlan(`Plan${i}`, { apiStages: [{ api, stage: api.deploymentStage }] });
    if (a.apiKey) plan.addApiKey(api.addApiKey(`Key${i}`));
  }
  let domainName: string | undefined;
  if (a.domain !== 'none' && a.kind !== 'PRIVATE') {
    const certificate = acm.Certificate.fromCertificateArn(
      scope,
      `Cert${i}`,
      'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    );
    const domain = new apigw.DomainName(scope, `Domain${i}`, {
      domainName: `api${i}.example.com`,
      certificate,
      endpointType: a.kind === 'EDGE' ? apigw.EndpointType.EDGE : apigw.EndpointType.REGIONAL,
    });
    if (a.domain === 'mapped') domain.addBasePathMapping(api, { basePath: 'v1' });
    domainName = domain.domainName;
  }
  return {
    construct: api,
    cfn: api.node.defaultChild as CfnResource,
    url: api.url,
    id: api.restApiId,
    arnForInvoke: api.arnForExecuteApi('GET', '/', a.stage) ?? method.methodArn,
    domainName,
  };
}
