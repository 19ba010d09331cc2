import { App, aws_apigateway as apigw, aws_s3 as s3 } from 'aws-cdk-lib';
import { RegionalCustomDomain } from '../../src';
import { newStack, publicZone, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'MutualTlsDefaultEndpointOpen';

function build(options: { mtls: boolean; disabled: boolean }) {
  const stack = newStack(undefined, newApp());
  const api = restApi(stack, 'Api', {
    endpointTypes: [apigw.EndpointType.REGIONAL],
    disableExecuteApiEndpoint: options.disabled || undefined,
  });
  const domain = new RegionalCustomDomain(stack, 'Domain', {
    domainName: 'api.example.com',
    hostedZone: publicZone(stack),
    mtls: options.mtls ? { bucket: new s3.Bucket(stack, 'Truststore'), key: 'truststore.pem' } : undefined,
    // RegionalCustomDomain disables the default endpoint itself unless told not to.
    disableDefaultEndpoints: options.disabled ? undefined : false,
  });
  domain.addRestApi(api, { basePath: 'v1' });
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports an mTLS domain over an API with its default endpoint open, as a warning on the API, in both doors', () => {
    const app = build({ mtls: true, disabled: false });
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'warning',
        messageId: 'bypass',
        resource: expect.objectContaining({ path: 'Stack/Api/Resource' }),
        findingId: 'Stack/Domain/Resource/Resource',
      }),
    ]);
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('passes once the default endpoint is disabled', () => {
    expect(findings(build({ mtls: true, disabled: true }), RULE)).toEqual([]);
  });

  test('stays silent for a domain without mutual TLS', () => {
    expect(findings(build({ mtls: false, disabled: false }), RULE)).toEqual([]);
  });
});
