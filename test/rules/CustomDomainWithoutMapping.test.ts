import {
  App,
  CfnParameter,
  Stack,
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
} from 'aws-cdk-lib';
import { newStack, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, placed } from '../fixtures/helpers';

const RULE = 'CustomDomainWithoutMapping';
const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

const cert = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);

describe(RULE, () => {
  test('reports a v1 domain with no base path mapping, on the domain, in both doors', () => {
    const stack = newStack(undefined, newApp());
    new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    const f = findings(stack.node.root as App, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'noMapping',
        resource: expect.objectContaining({ path: 'Stack/Domain/Resource' }),
      }),
    ]);
    expect(findingsFromAssembly(stack.node.root as App, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a v2 domain with no API mapping', () => {
    const stack = newStack();
    new apigwv2.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    expect(findings(stack.node.root as App, RULE).map(placed)).toEqual([
      ['ApiReachability-CustomDomainWithoutMapping', 'Stack/Domain/Resource', 'Stack/Domain/Resource'],
    ]);
  });

  test('stays silent when the mapping lives in another stack', () => {
    const app = new App();
    const net = new Stack(app, 'Domains', { env: { account: '111111111111', region: 'eu-west-1' } });
    const domain = new apigw.DomainName(net, 'Domain', { domainName: 'api.example.com', certificate: cert(net) });
    const svc = new Stack(app, 'Svc', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = restApi(svc, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    new apigw.BasePathMapping(svc, 'Mapping', { domainName: domain, restApi: api, basePath: 'v1' });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('still reports when a mapping names another domain by its literal name', () => {
    const stack = newStack();
    new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    const api = restApi(stack, 'Api');
    new apigw.CfnBasePathMapping(stack, 'Mapping', { domainName: 'imported.example.com', restApiId: api.restApiId });
    expect(findings(stack.node.root as App, RULE).map(placed)).toEqual([
      ['ApiReachability-CustomDomainWithoutMapping', 'Stack/Domain/Resource', 'Stack/Domain/Resource'],
    ]);
  });

  test('stays silent when a mapping names its domain by a value the app cannot resolve', () => {
    const stack = newStack();
    new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert(stack) });
    const api = restApi(stack, 'Api');
    const name = new CfnParameter(stack, 'DomainName');
    new apigw.CfnBasePathMapping(stack, 'Mapping', { domainName: name.valueAsString, restApiId: api.restApiId });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});
