import { App, Fn, aws_apigateway as apigw, aws_certificatemanager as acm, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { PrivateCustomDomain } from '../../src';
import { handler, newStack, privateRestApi, vpc } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'PrivateDomainWithoutAccessAssociation';
const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** A private custom domain served to VPC A's endpoint; a caller in VPC B calls it. */
function build(
  fix?: (domain: PrivateCustomDomain, b: ec2.Vpc, endpointB: ec2.InterfaceVpcEndpoint) => void,
  app = new App(),
) {
  const stack = newStack(undefined, app);
  const a = vpc(stack, 'A');
  const endpointA = a.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const b = vpc(stack, 'B');
  const endpointB = b.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const api = privateRestApi(stack, 'Internal');
  api.grantInvokeFromVpcEndpointsOnly([endpointA, endpointB]);
  const domain = new PrivateCustomDomain(stack, 'Domain', {
    domainName: 'internal.example.com',
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
    endpoint: endpointA,
    vpc: a,
  });
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
