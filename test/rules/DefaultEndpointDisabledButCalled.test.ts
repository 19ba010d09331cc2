import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, aws_apigateway as apigw, aws_apigatewayv2 as apigwv2 } from 'aws-cdk-lib';
import { RegionalCustomDomain } from '../../src';
import { analyzeTemplateFiles } from '../../src/analyze';
import { handler, httpApi, newStack, publicZone, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'DefaultEndpointDisabledButCalled';

function build(options: { map?: boolean; url?: 'default' | 'domain' | 'none' } = {}) {
  const stack = newStack(undefined, newApp());
  const api = restApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL], disableExecuteApiEndpoint: true });
  let url: string | undefined = options.url === 'none' ? undefined : api.url;
  if (options.map !== false) {
    const domain = new RegionalCustomDomain(stack, 'Domain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(api, { basePath: 'v1' });
    if (options.url === 'domain') url = domain.urlFor('v1');
  }
  if (url) handler(stack, 'Caller', { environment: { API_URL: url } });
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports a caller of the default URL, on the caller, in both doors', () => {
    const app = build();
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'calledDisabled',
        resource: expect.objectContaining({ path: 'Stack/Caller/Resource' }),
        findingId: 'Stack/Api/Resource',
      }),
    ]);
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports an HTTP API with its default endpoint disabled and no mapping, as a warning on the API', () => {
    const stack = newStack();
    httpApi(stack, 'Orders', { disableExecuteApiEndpoint: true });
    expect(findings(stack.node.root as App, RULE)).toEqual([
      expect.objectContaining({ level: 'warning', messageId: 'unreachable', findingId: 'Stack/Orders/Resource' }),
    ]);
  });

  test('reports a disabled default endpoint that no domain maps, with no caller', () => {
    expect(findings(build({ map: false, url: 'none' }), RULE).map((f) => f.messageId)).toEqual(['unreachable']);
  });

  test('passes when the caller uses the custom domain', () => {
    expect(findings(build({ url: 'domain' }), RULE)).toEqual([]);
  });

  test('stays silent for a mapped API with no caller', () => {
    expect(findings(build({ url: 'none' }), RULE)).toEqual([]);
  });

  test('stays silent when the API is mapped by an apigwv2.ApiMapping', () => {
    const stack = newStack();
    const api = httpApi(stack, 'Orders', { disableExecuteApiEndpoint: true });
    const domain = apigwv2.DomainName.fromDomainNameAttributes(stack, 'Imported', {
      name: 'orders.example.com',
      regionalDomainName: 'd-abc.execute-api.eu-west-1.amazonaws.com',
      regionalHostedZoneId: 'Z123',
    });
    new apigwv2.ApiMapping(stack, 'Mapping', { api, domainName: domain });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test.each<[string, string | undefined, boolean]>([
    ['a routing rule of a domain whose routing mode uses it: silent', 'ROUTING_RULE_ONLY', false],
    ['a routing rule of a domain that ignores routing rules (default mode): nothing reaches the API', undefined, true],
  ])('%s', (_, mode, reported) => {
    const stack = newStack();
    const api = restApi(stack, 'Api', {
      endpointTypes: [apigw.EndpointType.REGIONAL],
      disableExecuteApiEndpoint: true,
    });
    const domain = new apigw.CfnDomainName(stack, 'Domain', {
      domainName: 'api.example.com',
      regionalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555',
      endpointConfiguration: { types: ['REGIONAL'] },
      routingMode: mode,
    });
    new apigwv2.CfnRoutingRule(stack, 'Rule', {
      domainNameArn: domain.attrDomainNameArn,
      priority: 1,
      conditions: [{ matchBasePaths: { anyOf: ['v1'] } }],
      actions: [{ invokeApi: { apiId: api.restApiId, stage: 'prod' } }],
    });
    const f = findings(stack.node.root as App, RULE).map((x) => [x.messageId, x.resource.path]);
    expect(f).toEqual(reported ? [['unreachable', 'Stack/Api/Resource']] : []);
  });

  test('stays silent for a SAM API whose Domain property makes the mapping', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sam-'));
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        Transform: 'AWS::Serverless-2016-10-31',
        Resources: {
          Api: {
            Type: 'AWS::Serverless::HttpApi',
            Properties: {
              DisableExecuteApiEndpoint: true,
              Domain: {
                DomainName: 'api.example.com',
                CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x',
              },
            },
          },
        },
      }),
    );
    try {
      expect(analyzeTemplateFiles([file]).findings.filter((f) => f.ruleName === RULE)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
