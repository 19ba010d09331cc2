import * as path from 'path';
import {
  App,
  CfnCondition,
  CfnParameter,
  Fn,
  Stack,
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_iam as iam,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { analyzeTemplateFiles } from '../../src/engine';
import { httpApi, restApi } from '../constructs/helpers';
import { findings, invokePolicy, placed } from '../fixtures/helpers';

const RULE = 'DualStackPolicyIpv4Only';
const ID = `ApiReachability-${RULE}`;
const ENV = { account: '123456789012', region: 'eu-west-1' };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/c';
const OFFICE = '203.0.113.0/24';
const OFFICE_V6 = '2001:db8:1234::/48';

type Policy = 'allow-ipv4' | 'allow-both' | 'deny-ipv4' | 'deny-both' | 'open' | 'none' | 'param';

interface Options {
  /** The API's IP address type; undefined leaves it unset (ipv4); 'param' makes it a parameter. */
  readonly api?: 'dualstack' | 'ipv4' | 'param';
  readonly endpointType?: apigw.EndpointType;
  readonly policy?: Policy;
  /** A v1 custom domain that maps the API, with this IP address type. */
  readonly domain?: 'dualstack' | 'ipv4' | 'param';
  readonly disableDefaultEndpoint?: boolean;
}

function resourcePolicy(stack: Stack, kind: Policy): iam.PolicyDocument | undefined {
  const ip = (ranges: string[]) => ({ 'aws:SourceIp': ranges });
  switch (kind) {
    case 'none':
      return undefined;
    case 'open':
      return invokePolicy({});
    case 'allow-ipv4':
      return invokePolicy({ conditions: { IpAddress: ip([OFFICE]) } });
    case 'allow-both':
      return invokePolicy({ conditions: { IpAddress: ip([OFFICE, OFFICE_V6]) } });
    case 'param':
      return invokePolicy({ conditions: { IpAddress: ip([new CfnParameter(stack, 'Office').valueAsString]) } });
    case 'deny-ipv4':
      return invokePolicy({}, { effect: iam.Effect.DENY, conditions: { NotIpAddress: ip([OFFICE]) } });
    case 'deny-both':
      return invokePolicy({}, { effect: iam.Effect.DENY, conditions: { NotIpAddress: ip([OFFICE, OFFICE_V6]) } });
  }
}

function ipType(stack: Stack, t: 'dualstack' | 'ipv4' | 'param'): string {
  return t === 'param' ? new CfnParameter(stack, `IpType${stack.node.children.length}`).valueAsString : t;
}

/** A REST API of the app (Svc/Api) with one GET method, its policy, and optionally a custom domain (Svc/Api/Domain). */
function scenario(o: Options = {}): App {
  const app = new App();
  const stack = new Stack(app, 'Svc', { env: ENV });
  const types = [o.endpointType ?? apigw.EndpointType.REGIONAL];
  const api = restApi(stack, 'Api', {
    endpointConfiguration: {
      types,
      ipAddressType:
        o.api === 'dualstack'
          ? apigw.IpAddressType.DUAL_STACK
          : o.api === 'ipv4'
            ? apigw.IpAddressType.IPV4
            : undefined,
    },
    policy: resourcePolicy(stack, o.policy ?? 'allow-ipv4'),
    disableExecuteApiEndpoint: o.disableDefaultEndpoint,
  });
  if (o.api === 'param') {
    (api.node.defaultChild as apigw.CfnRestApi).addPropertyOverride(
      'EndpointConfiguration.IpAddressType',
      ipType(stack, 'param'),
    );
  }
  if (o.domain) {
    const domain = api.addDomainName('Domain', {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
      endpointType: apigw.EndpointType.REGIONAL,
    });
    // aws-apigateway's DomainName has no ipAddressType prop: the escape hatch sets it.
    (domain.node.defaultChild as apigw.CfnDomainName).addPropertyOverride(
      'EndpointConfiguration.IpAddressType',
      ipType(stack, o.domain),
    );
  }
  return app;
}

const run = (o: Options) => findings(scenario(o), RULE);

describe(RULE, () => {
  test('reports a dual-stack REST API whose Allow admits only an IPv4 range, as a warning on the API', () => {
    const f = run({ api: 'dualstack' });
    expect(f.map(placed)).toEqual([[ID, 'Svc/Api/Resource', 'Svc/Api/Resource']]);
    expect(f[0]).toEqual(
      expect.objectContaining({ level: 'warning', messageId: 'allowIpv4Only', location: 'Properties.Policy' }),
    );
    expect(f[0].message).toBe(
      'REST API Svc/Api (REGIONAL) accepts IPv6: its default execute-api endpoint is dual-stack (EndpointConfiguration.IpAddressType: ' +
        'dualstack). But its resource policy allows execute-api:Invoke only from IPv4 aws:SourceIp ranges (203.0.113.0/24): every client ' +
        'that connects over IPv6 is denied with 403 "User: anonymous is not authorized to perform: execute-api:Invoke".',
    );
    expect(f[0].fix).toContain(
      'set ipAddressType: IpAddressType.IPV4 in the endpointConfiguration of REST API Svc/Api (REGIONAL)',
    );
  });

  test('reports an IPv4-only API mapped by a dual-stack custom domain, naming the domain', () => {
    const f = run({ domain: 'dualstack' });
    expect(f.map(placed)).toEqual([[ID, 'Svc/Api/Resource', 'Svc/Api/Domain/Resource']]);
    expect(f[0].message).toContain(
      'accepts IPv6: custom domain Svc/Api/Domain (api.example.com), which maps it, is dual-stack.',
    );
    expect(f[0].fix).toContain('make custom domain Svc/Api/Domain (api.example.com) IPv4-only (IpAddressType: ipv4)');
    expect(f[0].relatedResources.map((r) => r.path)).toEqual([
      'Svc/Api/Domain/Resource',
      expect.stringMatching(/^Svc\/Api\/Domain\/Map:--=>SvcApi[0-9A-F]{8}\/Resource$/),
    ]);
  });

  test('reports a Deny on NotIpAddress that lists only IPv4 ranges', () => {
    const f = run({ api: 'dualstack', policy: 'deny-ipv4' });
    expect(f.map((x) => [x.messageId, x.findingId])).toEqual([['denyOutsideIpv4', 'Svc/Api/Resource']]);
    expect(f[0].message).toContain(
      'denies execute-api:Invoke to everyone whose aws:SourceIp is outside IPv4 ranges (203.0.113.0/24)',
    );
  });

  test('reports each way in once: the dual-stack API and the dual-stack domain that maps it', () => {
    expect(run({ api: 'dualstack', domain: 'dualstack', endpointType: apigw.EndpointType.EDGE }).map(placed)).toEqual([
      [ID, 'Svc/Api/Resource', 'Svc/Api/Domain/Resource'],
      [ID, 'Svc/Api/Resource', 'Svc/Api/Resource'],
    ]);
  });

  test('reports a REST API mapped by a dual-stack apigatewayv2 domain (API mapping)', () => {
    const app = new App();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const api = restApi(stack, 'Api', {
      endpointTypes: [apigw.EndpointType.REGIONAL],
      policy: resourcePolicy(stack, 'allow-ipv4'),
    });
    const domain = new apigwv2.DomainName(stack, 'Domain', {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
      ipAddressType: apigwv2.IpAddressType.DUAL_STACK,
    });
    new apigwv2.CfnApiMapping(stack, 'Mapping', {
      domainName: domain.name,
      apiId: api.restApiId,
      stage: api.deploymentStage.stageName,
    });
    expect(findings(app, RULE).map(placed)).toEqual([[ID, 'Svc/Api/Resource', 'Svc/Domain/Resource']]);
  });

  describe('passes after each fix', () => {
    test.each<[string, Options]>([
      ['an IPv6 range next to the IPv4 one', { api: 'dualstack', policy: 'allow-both' }],
      ['an IPv6 range in the Deny too', { api: 'dualstack', policy: 'deny-both' }],
      ['the API made IPv4-only', { api: 'ipv4' }],
      ['the domain made IPv4-only', { domain: 'ipv4' }],
    ])('%s', (_, o) => {
      expect(run(o)).toEqual([]);
    });
  });

  describe('stays silent', () => {
    test.each<[string, Options]>([
      ['for an IPv4-only API with an IPv4 policy', {}],
      ['when the IP address type is a parameter', { api: 'param' }],
      ["when the domain's IP address type is a parameter", { domain: 'param' }],
      ['when the range is not literal', { api: 'dualstack', policy: 'param' }],
      ['when the API has no resource policy', { api: 'dualstack', policy: 'none' }],
      ['when the policy admits everyone', { api: 'dualstack', policy: 'open' }],
      ['when the dual-stack default endpoint is disabled', { api: 'dualstack', disableDefaultEndpoint: true }],
      [
        'for a private API (dual-stack always; callers come through VPC endpoints)',
        { endpointType: apigw.EndpointType.PRIVATE },
      ],
    ])('%s', (_, o) => {
      expect(run(o)).toEqual([]);
    });

    test('when another Allow admits callers by other keys (aws:SourceVpce) or by their identity', () => {
      const app = new App();
      const stack = new Stack(app, 'Svc', { env: ENV });
      const dual = { types: [apigw.EndpointType.REGIONAL], ipAddressType: apigw.IpAddressType.DUAL_STACK };
      restApi(stack, 'Vpce', {
        endpointConfiguration: dual,
        policy: invokePolicy(
          { conditions: { IpAddress: { 'aws:SourceIp': [OFFICE] } } },
          { conditions: { StringEquals: { 'aws:SourceVpce': 'vpce-0aaaaaaaaaaaaaaaa' } } },
        ),
      });
      restApi(stack, 'Signed', {
        endpointConfiguration: dual,
        policy: invokePolicy(
          { conditions: { IpAddress: { 'aws:SourceIp': [OFFICE] } } },
          { principals: [new iam.AccountRootPrincipal()] },
        ),
      });
      expect(findings(app, RULE)).toEqual([]);
    });

    test('for a dual-stack HTTP API (no resource policy) and a dual-stack domain that maps another API', () => {
      const app = new App();
      const stack = new Stack(app, 'Svc', { env: ENV });
      httpApi(stack, 'Http', { ipAddressType: apigwv2.IpAddressType.DUAL_STACK });
      restApi(stack, 'Api', {
        endpointTypes: [apigw.EndpointType.REGIONAL],
        policy: resourcePolicy(stack, 'allow-ipv4'),
      });
      const other = restApi(stack, 'Other', { endpointTypes: [apigw.EndpointType.REGIONAL] });
      const domain = other.addDomainName('Domain', {
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
        endpointType: apigw.EndpointType.REGIONAL,
      });
      (domain.node.defaultChild as apigw.CfnDomainName).addPropertyOverride(
        'EndpointConfiguration.IpAddressType',
        'dualstack',
      );
      expect(findings(app, RULE)).toEqual([]);
    });

    test('when the API is under a Condition', () => {
      const app = scenario({ api: 'dualstack' });
      const stack = app.node.findChild('Svc') as Stack;
      const condition = new CfnCondition(stack, 'Maybe', { expression: Fn.conditionEquals('a', 'b') });
      (stack.node.findChild('Api').node.defaultChild as apigw.CfnRestApi).cfnOptions.condition = condition;
      expect(findings(app, RULE)).toEqual([]);
    });
  });
});

describe(`${RULE}, from CloudFormation templates (SAM: test/rules/sam-parity.test.ts)`, () => {
  const template = (file: string) => path.join(__dirname, '../fixtures/templates', file);
  const placedIn = (file: string) =>
    analyzeTemplateFiles([template(file)])
      .findings.filter((x) => x.ruleName === RULE)
      .map((x) => [x.messageId, x.resource.logicalId, x.findingId]);

  test('reports the dual-stack API and the API behind a dual-stack domain of a template', () => {
    expect(placedIn('fails/dual-stack-policy-ipv4-only.yaml')).toEqual([
      ['allowIpv4Only', 'Orders', 'dual-stack-policy-ipv4-only/Orders'],
      ['denyOutsideIpv4', 'Pets', 'dual-stack-policy-ipv4-only/PetsDomain'],
    ]);
  });

  test('stays silent on the fixed template: IPv6 ranges next to the IPv4 ones, or IPv4-only', () => {
    expect(placedIn('passes/dual-stack-policy-ipv6-ranges.yaml')).toEqual([]);
  });
});
