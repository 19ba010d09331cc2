import { App, aws_apigateway as apigw } from 'aws-cdk-lib';
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
