// RegionalCustomDomain with mutual TLS closes the default execute-api endpoints of the APIs it maps.
import {
  App,
  CfnParameter,
  Stack,
  Token,
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, httpApi, newStack, publicZone, restApi } from './helpers';
import { analyzeApp } from '../../src/analyze';
import { RegionalCustomDomain, type RegionalCustomDomainProps } from '../../src/constructs';

function domainIn(stack: Stack, props: Partial<RegionalCustomDomainProps> = {}): RegionalCustomDomain {
  return new RegionalCustomDomain(stack, 'ApiDomain', {
    domainName: 'payments.example.com',
    hostedZone: publicZone(stack),
    ...props,
  });
}

function mtls(stack: Stack): apigateway.MTLSConfig {
  return { bucket: new s3.Bucket(stack, 'TrustStore'), key: 'truststore.pem' };
}

function l1(api: apigateway.IRestApi | apigwv2.IHttpApi): apigateway.CfnRestApi | apigwv2.CfnApi {
  return api.node.defaultChild as apigateway.CfnRestApi | apigwv2.CfnApi;
}

/** A SpecRestApi with an inline OpenAPI 3 definition; `endpoint` goes into `x-amazon-apigateway-endpoint-configuration`. */
function specRestApi(stack: Stack, endpoint?: Record<string, unknown>): apigateway.SpecRestApi {
  return new apigateway.SpecRestApi(stack, 'Spec', {
    apiDefinition: apigateway.ApiDefinition.fromInline({
      openapi: '3.0.1',
      info: { title: 'spec', version: '1' },
      ...(endpoint ? { 'x-amazon-apigateway-endpoint-configuration': endpoint } : {}),
      paths: {
        '/': {
          get: {
            'x-amazon-apigateway-integration': { type: 'MOCK', requestTemplates: { 'application/json': '{}' } },
          },
        },
      },
    }),
    endpointTypes: [apigateway.EndpointType.REGIONAL],
  });
}

describe('RegionalCustomDomain default endpoints', () => {
  test('disables the default endpoint of a mapped REST API and HTTP API when mtls is set', () => {
    const stack = newStack();
    const domain = domainIn(stack, { mtls: mtls(stack) });
    const payments = restApi(stack, 'Payments');
    const orders = httpApi(stack, 'Orders');
    domain.addRestApi(payments, { basePath: 'v1' });
    domain.addHttpApi(orders, { basePath: 'orders' });

    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[stack.getLogicalId(l1(payments))].Properties.DisableExecuteApiEndpoint).toBe(
      true,
    );
    expect(template.toJSON().Resources[stack.getLogicalId(l1(orders))].Properties.DisableExecuteApiEndpoint).toBe(true);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
  });

  test('disables the default endpoint of a mapped SpecRestApi when mtls is set', () => {
    const stack = newStack();
    domainIn(stack, { mtls: mtls(stack) }).addRestApi(specRestApi(stack));

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
  });

  test('disables the default endpoint of an API defined in another stack of the app', () => {
    const app = new App();
    const apiStack = new Stack(app, 'Apis', { env: ENV });
    const payments = restApi(apiStack, 'Payments');
    const stack = newStack(ENV.region, app);
    domainIn(stack, { mtls: mtls(stack) }).addRestApi(payments);

    Template.fromStack(apiStack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      DisableExecuteApiEndpoint: true,
    });
  });

  test('renews the deployment of the REST API, which API Gateway needs to apply the setting', () => {
    const deploymentIds = (withMtls: boolean) => {
      const stack = newStack();
      domainIn(stack, withMtls ? { mtls: mtls(stack) } : {}).addRestApi(restApi(stack, 'Payments'));
      return Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Deployment'));
    };

    const [plain] = deploymentIds(false);
    const [closed] = deploymentIds(true);
    expect(plain).toMatch(/^PaymentsDeployment/);
    expect(closed).toMatch(/^PaymentsDeployment/);
    expect(closed).not.toEqual(plain);
  });

  test('leaves the default endpoints as they are without mtls', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
    domain.addHttpApi(httpApi(stack, 'Orders'), { basePath: 'orders' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: Match.absent() });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: Match.absent() });
  });

  test('disables the default endpoints without mtls when disableDefaultEndpoints is true', () => {
    const stack = newStack();
    const domain = domainIn(stack, { disableDefaultEndpoints: true });
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
    domain.addHttpApi(httpApi(stack, 'Orders'), { basePath: 'orders' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
  });

  test('keeps an API that already disables its default endpoint as it is, mapped twice', () => {
    const stack = newStack();
    const payments = restApi(stack, 'Payments', { disableExecuteApiEndpoint: true });
    const beta = new apigateway.Stage(stack, 'Beta', {
      deployment: new apigateway.Deployment(stack, 'BetaDeployment', { api: payments }),
      stageName: 'beta',
    });
    const domain = domainIn(stack, { mtls: mtls(stack) });
    domain.addRestApi(payments, { basePath: 'v1' });
    domain.addRestApi(payments, { basePath: 'beta', stage: beta });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
  });

  test('leaves a value that is a token to CloudFormation', () => {
    const stack = newStack();
    const payments = restApi(stack, 'Payments');
    const param = new CfnParameter(stack, 'DisableDefaultEndpoint', {
      type: 'String',
      allowedValues: ['true', 'false'],
    });
    (l1(payments) as apigateway.CfnRestApi).disableExecuteApiEndpoint = Token.asAny(param.valueAsString);
    domainIn(stack, { mtls: mtls(stack) }).addRestApi(payments);

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      DisableExecuteApiEndpoint: { Ref: 'DisableDefaultEndpoint' },
    });
  });

  describe('opted out with disableDefaultEndpoints: false', () => {
    function optedOut(): { app: App; stack: Stack } {
      const app = new App();
      const stack = newStack(ENV.region, app);
      const domain = domainIn(stack, { mtls: mtls(stack), disableDefaultEndpoints: false });
      domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
      domain.addHttpApi(httpApi(stack, 'Orders'), { basePath: 'orders' });
      return { app, stack };
    }

    test('leaves the default endpoints as they are', () => {
      const template = Template.fromStack(optedOut().stack);
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: Match.absent() });
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: Match.absent() });
    });

    test("makes the library's checks report each API under MutualTlsDefaultEndpointOpen", () => {
      const findings = analyzeApp(optedOut().app);

      expect(findings.map((f) => [f.ruleName, f.resource.path])).toEqual([
        ['MutualTlsDefaultEndpointOpen', 'Stack/Orders/Resource'],
        ['MutualTlsDefaultEndpointOpen', 'Stack/Payments/Resource'],
      ]);
    });

    test('accepts an imported API', () => {
      const stack = newStack();
      const imported = apigateway.RestApi.fromRestApiAttributes(stack, 'Imported', {
        restApiId: 'abc123',
        rootResourceId: 'root123',
      });
      const stage = apigateway.Stage.fromStageAttributes(stack, 'ImportedStage', {
        restApi: imported,
        stageName: 'prod',
      });
      domainIn(stack, { mtls: mtls(stack), disableDefaultEndpoints: false }).addRestApi(imported, { stage });

      Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: 'abc123' });
    });

    test('accepts an API that keeps its default endpoint enabled on purpose', () => {
      const stack = newStack();
      const domain = domainIn(stack, { mtls: mtls(stack), disableDefaultEndpoints: false });
      domain.addRestApi(restApi(stack, 'Payments', { disableExecuteApiEndpoint: false }));

      Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
        DisableExecuteApiEndpoint: false,
      });
    });
  });

  test('throws if an imported REST API is mapped with mtls', () => {
    const stack = newStack();
    const imported = apigateway.RestApi.fromRestApiAttributes(stack, 'Imported', {
      restApiId: 'abc123',
      rootResourceId: 'root123',
    });
    const stage = apigateway.Stage.fromStageAttributes(stack, 'ImportedStage', {
      restApi: imported,
      stageName: 'prod',
    });
    const domain = domainIn(stack, { mtls: mtls(stack) });

    expect(() => domain.addRestApi(imported, { stage })).toThrow(
      /^CannotDisableImportedApiEndpoint: \[Stack\/ApiDomain\] API 'Stack\/Imported' is imported, .*going around mutual TLS/,
    );
  });

  test('throws if an imported HTTP API is mapped with mtls', () => {
    const stack = newStack();
    const imported = apigwv2.HttpApi.fromHttpApiAttributes(stack, 'Imported', { httpApiId: 'abc123' });
    const stage = apigwv2.HttpStage.fromHttpStageAttributes(stack, 'ImportedStage', {
      api: imported,
      stageName: '$default',
    });
    const domain = domainIn(stack, { mtls: mtls(stack) });

    expect(() => domain.addHttpApi(imported, { stage })).toThrow(
      /^CannotDisableImportedApiEndpoint: \[Stack\/ApiDomain\] API 'Stack\/Imported'/,
    );
  });

  test('throws if an imported API is mapped with disableDefaultEndpoints: true and no mtls', () => {
    const stack = newStack();
    const imported = apigateway.RestApi.fromRestApiId(stack, 'Imported', 'abc123');
    const stage = apigateway.Stage.fromStageAttributes(stack, 'ImportedStage', {
      restApi: imported,
      stageName: 'prod',
    });
    const domain = domainIn(stack, { disableDefaultEndpoints: true });

    expect(() => domain.addRestApi(imported, { stage })).toThrow(
      /^CannotDisableImportedApiEndpoint: .*without going through this domain/,
    );
  });

  test.each([
    [
      'a REST API',
      (stack: Stack, d: RegionalCustomDomain) =>
        d.addRestApi(restApi(stack, 'Api', { disableExecuteApiEndpoint: false })),
    ],
    [
      'an HTTP API',
      (stack: Stack, d: RegionalCustomDomain) =>
        d.addHttpApi(httpApi(stack, 'Api', { disableExecuteApiEndpoint: false })),
    ],
  ])('throws if %s created with disableExecuteApiEndpoint: false is mapped with mtls', (_, add) => {
    const stack = newStack();
    const domain = domainIn(stack, { mtls: mtls(stack) });

    expect(() => add(stack, domain)).toThrow(
      /^DefaultEndpointExplicitlyEnabled: \[Stack\/ApiDomain\] API 'Stack\/Api' keeps its default execute-api endpoint enabled on purpose .*requires mutual TLS/,
    );
  });

  test('throws if the OpenAPI definition of a SpecRestApi keeps the default endpoint enabled', () => {
    const stack = newStack();
    const domain = domainIn(stack, { mtls: mtls(stack) });

    expect(() => domain.addRestApi(specRestApi(stack, { disableExecuteApiEndpoint: false }))).toThrow(
      /^DefaultEndpointExplicitlyEnabled: .*'Stack\/Spec'/,
    );
  });

  test('fails synthesis if the default endpoint is enabled again after the API was mapped', () => {
    const stack = newStack();
    const payments = restApi(stack, 'Payments');
    domainIn(stack, { mtls: mtls(stack) }).addRestApi(payments);
    (l1(payments) as apigateway.CfnRestApi).disableExecuteApiEndpoint = false;

    expect(() => Template.fromStack(stack)).toThrow(/DefaultEndpointExplicitlyEnabled: API 'Stack\/Payments'/);
  });
});
