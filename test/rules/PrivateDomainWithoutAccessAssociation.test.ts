import {
  App,
  CfnParameter,
  Fn,
  Stack,
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_route53 as route53,
  aws_route53_targets as targets,
} from 'aws-cdk-lib';
import { PrivateCustomDomain } from '../../src';
import { analyzeGraph } from '../../src/analyze';
import { HINTS_METADATA_KEY } from '../../src/hints-metadata';
import { handler, newStack, privateRestApi, vpc } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, templateGraph, templateStack } from '../fixtures/helpers';

const RULE = 'PrivateDomainWithoutAccessAssociation';
const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** VPCs A and B, each with an execute-api endpoint, and a private custom domain served to A's endpoint. */
function twoVpcsAndDomain(app: App) {
  const stack = newStack(undefined, app);
  const a = vpc(stack, 'A');
  const endpointA = a.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const b = vpc(stack, 'B');
  const endpointB = b.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const domain = new PrivateCustomDomain(stack, 'Domain', {
    domainName: 'internal.example.com',
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
    endpoint: endpointA,
    vpc: a,
  });
  return { stack, b, endpointA, endpointB, domain };
}

/** A private custom domain served to VPC A's endpoint; a caller in VPC B calls it. */
function build(
  fix?: (domain: PrivateCustomDomain, b: ec2.Vpc, endpointB: ec2.InterfaceVpcEndpoint) => void,
  app = new App(),
  apiAllows: 'both' | 'a' = 'both',
) {
  const { stack, b, endpointA, endpointB, domain } = twoVpcsAndDomain(app);
  const api = privateRestApi(stack, 'Internal');
  api.grantInvokeFromVpcEndpointsOnly(apiAllows === 'both' ? [endpointA, endpointB] : [endpointA]);
  domain.addRestApi(api, { basePath: 'orders' });
  fix?.(domain, b, endpointB);
  handler(stack, 'Caller', { vpc: b, environment: { API_URL: domain.urlFor('orders') } });
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports a caller whose endpoint has no association, on the caller, in both doors', () => {
    const app = build(undefined, newApp());
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'noAssociation',
        resource: expect.objectContaining({ path: 'Stack/Caller/Resource' }),
        findingId: 'Stack/Domain/Resource',
      }),
    ]);
    expect(f[0].message).toContain('Stack/B/ExecuteApi');
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test("reports an association that the domain's policy leaves out", () => {
    const app = build((domain, _b, endpointB) => {
      new apigw.CfnDomainNameAccessAssociation(domain, 'ManualAssociation', {
        domainNameArn: domain.domainNameArn,
        accessAssociationSource: endpointB.vpcEndpointId,
        accessAssociationSourceType: 'VPCE',
      });
    });
    expect(findings(app, RULE).map((f) => f.messageId)).toEqual(['policyExcludes']);
  });

  test("passes once the domain allows VPC B's endpoint", () => {
    expect(
      findings(
        build((domain, b, endpointB) => domain.addVpc(b, endpointB)),
        RULE,
      ),
    ).toEqual([]);
  });

  test('stays silent when an association names the domain by a value the app cannot resolve', () => {
    const app = build((domain, _b, endpointB) => {
      new apigw.CfnDomainNameAccessAssociation(domain, 'Imported', {
        domainNameArn: Fn.importValue('shared-domain-arn'),
        accessAssociationSource: endpointB.vpcEndpointId,
        accessAssociationSourceType: 'VPCE',
      });
    });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('stays silent for a caller in the associated VPC', () => {
    const stack = newStack();
    const a = vpc(stack, 'A');
    const endpoint = a.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
    const api = privateRestApi(stack, 'Internal');
    api.grantInvokeFromVpcEndpointsOnly([endpoint]);
    const domain = new PrivateCustomDomain(stack, 'Domain', {
      domainName: 'internal.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
      endpoint,
      vpc: a,
    });
    domain.addRestApi(api, { basePath: 'orders' });
    handler(stack, 'Caller', { vpc: a, environment: { API_URL: domain.urlFor('orders') } });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});

describe(`${RULE}: the endpoint a call goes through is the one the domain name resolves to`, () => {
  /** VPC B's own private hosted zone for the domain, with an A alias to `target`. */
  const zoneInB = (domain: PrivateCustomDomain, b: ec2.Vpc, target: ec2.InterfaceVpcEndpoint) => {
    const zone = new route53.PrivateHostedZone(domain, 'ZoneInB', { zoneName: 'internal.example.com', vpc: b });
    new route53.ARecord(domain, 'AliasInB', {
      zone,
      target: route53.RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(target)),
    });
  };

  test("stays silent when B's zone aliases the name to A's endpoint, which the domain serves (B's own endpoint is not the way in)", () => {
    const app = build((domain, b) => {
      const endpointA = domain.node.scope!.node.findChild('A').node.findChild('ExecuteApi') as ec2.InterfaceVpcEndpoint;
      zoneInB(domain, b, endpointA);
    });
    expect(findings(app, RULE)).toEqual([]);
  });

  test("reports the endpoint that B's zone aliases the name to, and says why the call goes there", () => {
    const app = build((domain, b, endpointB) => zoneInB(domain, b, endpointB));
    const f = findings(app, RULE);
    expect(f.map((x) => [x.messageId, x.resource.path, x.findingId])).toEqual([
      ['noAssociation', 'Stack/Caller/Resource', 'Stack/Domain/Resource'],
    ]);
    expect(f[0].message).toContain(
      'from VPC Stack/B, where private hosted zone Stack/Domain/ZoneInB (internal.example.com) answers that name with an alias',
    );
    expect(f[0].message).toContain('but execute-api endpoint Stack/B/ExecuteApi has no access association');
  });

  test("reports the last link of the chain: the domain lets B's endpoint in, the mapped API's policy leaves it out", () => {
    const app = build((domain, b, endpointB) => domain.addVpc(b, endpointB), newApp(), 'a');
    const f = findings(app, RULE);
    expect(f.map((x) => [x.level, x.messageId, x.resource.path, x.findingId])).toEqual([
      ['error', 'apiPolicyExcludes', 'Stack/Caller/Resource', 'Stack/Domain/Resource'],
    ]);
    expect(f[0].message).toContain(
      'REST API Stack/Internal (PRIVATE), which it maps, has a resource policy that explicitly denies',
    );
    expect(f[0].message).toContain('Stack/B/ExecuteApi');
    // The same caller is not reported by rule 6 as well.
    expect(findings(app, 'PrivateApiPolicyExcludesCaller')).toEqual([]);
  });
});

describe(`${RULE}: the API the caller's URL reaches, on a domain that maps two`, () => {
  /**
   * A private domain that lets VPC B's endpoint in and maps two private APIs: Orders (its policy allows both
   * endpoints) on /orders, Billing (its policy allows only VPC A's endpoint) on /billing. A caller in VPC B
   * calls `url`; `routes` adds routing rules.
   */
  function twoApis(
    url: string,
    routes?: (domain: PrivateCustomDomain, orders: apigw.RestApi, billing: apigw.RestApi) => void,
  ) {
    const { stack, b, endpointA, endpointB, domain } = twoVpcsAndDomain(newApp());
    const orders = privateRestApi(stack, 'Orders');
    orders.grantInvokeFromVpcEndpointsOnly([endpointA, endpointB]);
    const billing = privateRestApi(stack, 'Billing');
    billing.grantInvokeFromVpcEndpointsOnly([endpointA]);
    domain.addRestApi(orders, { basePath: 'orders' });
    domain.addRestApi(billing, { basePath: 'billing' });
    domain.addVpc(b, endpointB);
    routes?.(domain, orders, billing);
    handler(stack, 'Caller', { vpc: b, environment: { API_URL: url } });
    return stack.node.root as App;
  }
  /** A routing rule of priority 1 that sends /orders to Billing, the routing mode that uses it first. */
  const ruleToBilling =
    (headers: boolean) => (domain: PrivateCustomDomain, _orders: apigw.RestApi, billing: apigw.RestApi) => {
      domain.resource.addPropertyOverride('RoutingMode', 'ROUTING_RULE_THEN_BASE_PATH_MAPPING');
      new apigwv2.CfnRoutingRule(domain, 'OrdersToBilling', {
        domainNameArn: domain.domainNameArn,
        priority: 1,
        conditions: [
          { matchBasePaths: { anyOf: ['orders'] } },
          ...(headers ? [{ matchHeaders: { anyOf: [{ header: 'x-version', valueGlob: 'beta' }] } }] : []),
        ],
        actions: [{ invokeApi: { apiId: billing.restApiId, stage: billing.deploymentStage.stageName } }],
      });
    };
  const summaryOf = (app: App) =>
    findings(app, RULE).map((f) => [f.messageId, f.resource.path, f.relatedResources.map((r) => r.path)]);

  test('reports the call whose path selects the API whose policy leaves the endpoint out, naming that API', () => {
    const f = findings(twoApis('https://internal.example.com/billing/invoices'), RULE);
    expect(f.map((x) => [x.level, x.messageId, x.resource.path, x.findingId])).toEqual([
      ['error', 'apiPolicyExcludes', 'Stack/Caller/Resource', 'Stack/Domain/Resource'],
    ]);
    expect(f[0].message).toContain('REST API Stack/Billing (PRIVATE), which it maps, has a resource policy');
    expect(f[0].relatedResources.map((r) => r.path)).toContain('Stack/Billing/Resource');
  });

  test('stays silent for the call whose path selects the API that lets the endpoint in', () => {
    expect(findings(twoApis('https://internal.example.com/orders/list'), RULE)).toEqual([]);
  });

  test('stays silent when the path selects no route, or is not known', () => {
    expect(findings(twoApis('https://internal.example.com/pets'), RULE)).toEqual([]);
    // The first segment is an imported value: which route it selects is not known.
    expect(findings(twoApis(`https://internal.example.com/${Fn.importValue('BillingPath')}/x`), RULE)).toEqual([]);
  });

  test('a routing rule of higher priority overrides the mapping: /orders reaches Billing, whose policy leaves B out', () => {
    const app = twoApis('https://internal.example.com/orders/list', ruleToBilling(false));
    expect(summaryOf(app)).toEqual([
      [
        'apiPolicyExcludes',
        'Stack/Caller/Resource',
        expect.arrayContaining(['Stack/Domain/Resource', 'Stack/Billing/Resource']),
      ],
    ]);
  });

  test('a routing rule that also matches headers: which API the call reaches is not known, silent', () => {
    expect(findings(twoApis('https://internal.example.com/orders/list', ruleToBilling(true)), RULE)).toEqual([]);
  });
});

describe(`${RULE}: a private domain that no endpoint can reach`, () => {
  function domainOnly(
    o: { association?: 'own' | 'unknown'; caller?: boolean; external?: (stack: Stack) => unknown[] } = {},
  ) {
    const stack = newStack(undefined, newApp());
    const api = privateRestApi(stack, 'Internal');
    api.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*'],
      }),
    );
    const domain = new apigw.CfnDomainNameV2(stack, 'Domain', {
      domainName: 'internal.example.com',
      certificateArn: CERT,
      endpointConfiguration: { types: ['PRIVATE'] },
    });
    if (o.external) domain.addMetadata(HINTS_METADATA_KEY, { externalAccessAssociations: o.external(stack) });
    new apigw.CfnBasePathMappingV2(stack, 'Mapping', {
      domainNameArn: domain.attrDomainNameArn,
      restApiId: api.restApiId,
      stage: api.deploymentStage.stageName,
    });
    if (o.association) {
      new apigw.CfnDomainNameAccessAssociation(stack, 'Association', {
        domainNameArn: o.association === 'own' ? domain.attrDomainNameArn : Fn.importValue('SharedDomainArn'),
        accessAssociationSource: 'vpce-0123456789abcdef0',
        accessAssociationSourceType: 'VPCE',
      });
    }
    return stack.node.root as App;
  }

  test('reports a Warning on the domain when it has no access association at all', () => {
    const f = findings(domainOnly(), RULE);
    expect(f.map((x) => [x.level, x.messageId, x.resource.path, x.location])).toEqual([
      ['warning', 'noAssociationAtAll', 'Stack/Domain', 'Properties'],
    ]);
    expect(f[0].message).toContain('starts closed');
    expect(f[0].fix).toContain("the consumer's account");
  });

  test.each<[string, Parameters<typeof domainOnly>[0]]>([
    ['an association of its own', { association: 'own' }],
    ['an association of a domain the app cannot tie down (it may be this one)', { association: 'unknown' }],
  ])('stays silent with %s', (_, o) => {
    expect(findings(domainOnly(o), RULE)).toEqual([]);
  });

  test.each<[string, (stack: Stack) => unknown[]]>([
    ["a consumer account's endpoint id", () => ['vpce-0ccc1111222233334']],
    [
      'an endpoint id the app cannot read (a parameter)',
      (stack) => [new CfnParameter(stack, 'ConsumerEndpointId', { type: 'String' }).valueAsString],
    ],
  ])(
    'stays silent when its metadata records an association made outside the app (externalAccessAssociations: %s), in both doors',
    (_, external) => {
      const app = domainOnly({ external });
      expect(findings(app, RULE)).toEqual([]);
      expect(findingsFromAssembly(app, RULE)).toEqual([]);
    },
  );

  test('an empty externalAccessAssociations list is no association: the Warning stays', () => {
    expect(findings(domainOnly({ external: () => [] }), RULE).map((f) => f.messageId)).toEqual(['noAssociationAtAll']);
  });

  test('reads externalAccessAssociations from a CloudFormation template', () => {
    const domain = (metadata?: object) => ({
      Domain: {
        Type: 'AWS::ApiGateway::DomainNameV2',
        ...(metadata ? { Metadata: metadata } : {}),
        Properties: { DomainName: 'internal.example.com', EndpointConfiguration: { Types: ['PRIVATE'] } },
      },
    });
    const run = (metadata?: object) =>
      analyzeGraph(templateGraph(templateStack(domain(metadata)))).findings.filter((f) => f.ruleName === RULE);
    expect(run().map((f) => f.messageId)).toEqual(['noAssociationAtAll']);
    expect(run({ [HINTS_METADATA_KEY]: { externalAccessAssociations: ['vpce-0ccc1111222233334'] } })).toEqual([]);
  });

  test('a domain that a caller uses gets the Error on the caller, not the Warning as well', () => {
    expect(findings(build(undefined, newApp()), RULE).map((f) => f.messageId)).toEqual(['noAssociation']);
  });
});
