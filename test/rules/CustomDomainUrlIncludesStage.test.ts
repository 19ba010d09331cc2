import { App, aws_apigateway as apigw, aws_apigatewayv2 as apigwv2, aws_certificatemanager as acm } from 'aws-cdk-lib';
import { RegionalCustomDomain } from '../../src';
import { handler, newStack, publicZone, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, placed } from '../fixtures/helpers';

const RULE = 'CustomDomainUrlIncludesStage';

function build(url: (domainUrl: string) => string, basePath: string | null = 'payments') {
  const stack = newStack(undefined, newApp());
  const api = restApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  const domain = new RegionalCustomDomain(stack, 'Domain', {
    domainName: 'api.example.com',
    hostedZone: publicZone(stack),
  });
  domain.addRestApi(api, { basePath: basePath ?? undefined });
  handler(stack, 'Caller', { environment: { API_URL: url(basePath ? domain.urlFor(basePath) : domain.url) } });
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports the stage after the base path, as a warning on the caller, in both doors', () => {
    const app = build(() => 'https://api.example.com/payments/prod/orders');
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'warning',
        messageId: 'stageInPath',
        resource: expect.objectContaining({ path: 'Stack/Caller/Resource' }),
        findingId: 'Stack/Domain/Resource/Resource',
      }),
    ]);
    expect(f[0].message).toContain('Missing Authentication Token');
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports the stage right after the host for a root mapping', () => {
    expect(
      findings(
        build(() => 'https://api.example.com/prod/', null),
        RULE,
      ).map(placed),
    ).toEqual([
      ['ApiReachability-CustomDomainUrlIncludesStage', 'Stack/Caller/Resource', 'Stack/Domain/Resource/Resource'],
    ]);
  });

  test.each([
    ['urlFor(basePath)', (u: string) => u],
    ['a path without the stage', () => 'https://api.example.com/payments/orders'],
    ['another domain', () => 'https://other.example.com/payments/prod/'],
    ['a path the app cannot read', (u: string) => `${u}\${STAGE}/`],
  ])('stays silent for %s', (_, url) => {
    expect(findings(build(url), RULE)).toEqual([]);
  });
});

/** A stack with a regional REST API `Api` and a regional v1 custom domain api.example.com whose routing mode is `mode`. */
function apiAndDomain(mode: string) {
  const stack = newStack(undefined, newApp());
  const api = restApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  const domain = new apigw.DomainName(stack, 'Domain', {
    domainName: 'api.example.com',
    certificate: acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555',
    ),
    endpointType: apigw.EndpointType.REGIONAL,
  });
  const cfn = domain.node.defaultChild as apigw.CfnDomainName;
  cfn.routingMode = mode;
  return { stack, api, domain, cfn };
}

describe(`${RULE}: routing rules`, () => {
  /** A ROUTING_RULE_ONLY domain whose routing rule sends /payments to the API's prod stage, and a caller of the URL. */
  function buildWithRule(url: string, o: { strip?: boolean; headers?: boolean; mode?: string } = {}) {
    const { stack, api, cfn } = apiAndDomain(o.mode ?? 'ROUTING_RULE_ONLY');
    new apigwv2.CfnRoutingRule(stack, 'Rule', {
      domainNameArn: cfn.attrDomainNameArn,
      priority: 1,
      conditions: [
        { matchBasePaths: { anyOf: ['payments'] } },
        ...(o.headers ? [{ matchHeaders: { anyOf: [{ header: 'x-version', valueGlob: 'beta' }] } }] : []),
      ],
      actions: [
        { invokeApi: { apiId: api.restApiId, stage: api.deploymentStage.stageName, stripBasePath: o.strip ?? true } },
      ],
    });
    handler(stack, 'Caller', { environment: { API_URL: url } });
    return stack.node.root as App;
  }

  test('reports the stage after the base path of a routing rule that strips it, naming the rule', () => {
    const f = findings(buildWithRule('https://api.example.com/payments/prod/orders'), RULE);
    expect(f.map((x) => [x.messageId, x.resource.path])).toEqual([['stageInPath', 'Stack/Caller/Resource']]);
    expect(f[0].message).toContain(
      'the routing rule of "/payments" to REST API Stack/Api (REGIONAL) already selects stage prod',
    );
  });

  test.each<[string, string, Parameters<typeof buildWithRule>[1]]>([
    ['a path without the stage', 'https://api.example.com/payments/orders', {}],
    [
      'a rule that keeps its base path (StripBasePath false)',
      'https://api.example.com/payments/prod/orders',
      { strip: false },
    ],
    ['a rule that also matches headers', 'https://api.example.com/payments/prod/orders', { headers: true }],
    [
      'a routing mode that ignores routing rules',
      'https://api.example.com/payments/prod/orders',
      { mode: 'BASE_PATH_MAPPING_ONLY' },
    ],
  ])('stays silent for %s', (_, url, o) => {
    expect(findings(buildWithRule(url, o), RULE)).toEqual([]);
  });
});

describe(`${RULE}: the route the URL takes decides`, () => {
  /**
   * A domain that maps the API's prod stage at the root and, by the routing mode `mode`, `more` routes; a
   * caller of https://api.example.com/prod/orders (the stage name right after the host).
   */
  function build2(
    mode: string,
    more: (stack: ReturnType<typeof newStack>, domainArn: string, domainName: string) => void,
  ) {
    const { stack, api, domain, cfn } = apiAndDomain(mode);
    domain.addBasePathMapping(api, { stage: api.deploymentStage });
    more(stack, cfn.attrDomainNameArn, domain.domainName);
    handler(stack, 'Caller', { environment: { API_URL: 'https://api.example.com/prod/orders' } });
    return stack.node.root as App;
  }
  const other = (stack: ReturnType<typeof newStack>) =>
    restApi(stack, 'Other', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  const ruleTo =
    (priority: number, headers: boolean, strip: boolean) => (stack: ReturnType<typeof newStack>, domainArn: string) => {
      const api = other(stack);
      new apigwv2.CfnRoutingRule(stack, 'Rule', {
        domainNameArn: domainArn,
        priority,
        conditions: [
          { matchBasePaths: { anyOf: ['prod'] } },
          ...(headers ? [{ matchHeaders: { anyOf: [{ header: 'x-version', valueGlob: 'beta' }] } }] : []),
        ],
        actions: [{ invokeApi: { apiId: api.restApiId, stage: api.deploymentStage.stageName, stripBasePath: strip } }],
      });
    };

  test('reports the root mapping when nothing else matches the path', () => {
    expect(
      findings(
        build2('BASE_PATH_MAPPING_ONLY', () => {}),
        RULE,
      ).map((f) => f.messageId),
    ).toEqual(['stageInPath']);
  });

  test('stays silent when a longer base path of another API selects the URL (/prod is that API’s mapping)', () => {
    const app = build2('BASE_PATH_MAPPING_ONLY', (stack, _arn, domainName) => {
      const api = other(stack);
      new apigw.CfnBasePathMapping(stack, 'ProdMapping', {
        domainName,
        restApiId: api.restApiId,
        basePath: 'prod',
        stage: api.deploymentStage.stageName,
      });
    });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('stays silent when a routing rule of higher priority sends /prod to another API', () => {
    expect(findings(build2('ROUTING_RULE_THEN_BASE_PATH_MAPPING', ruleTo(1, false, false)), RULE)).toEqual([]);
  });

  test('stays silent when a routing rule that also matches headers matches the path (the route is not known)', () => {
    expect(findings(build2('ROUTING_RULE_THEN_BASE_PATH_MAPPING', ruleTo(1, true, true)), RULE)).toEqual([]);
  });

  test('reports the root mapping when the routing mode ignores the routing rule', () => {
    expect(findings(build2('BASE_PATH_MAPPING_ONLY', ruleTo(1, false, false)), RULE).map((f) => f.messageId)).toEqual([
      'stageInPath',
    ]);
  });
});
