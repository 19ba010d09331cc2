import {
  App,
  Stack,
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_apigatewayv2_integrations as integrations,
  aws_ec2 as ec2,
  aws_lambda as lambda,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export const ENV = { account: '111111111111', region: 'eu-west-1' };

/** A stack in a known environment (eu-west-1 unless told otherwise). */
export function newStack(region: string = ENV.region, app = new App()): Stack {
  return new Stack(app, 'Stack', { env: { account: ENV.account, region } });
}

/** An environment-agnostic stack (region and account known only at deployment). */
export function agnosticStack(app = new App()): Stack {
  return new Stack(app, 'Stack');
}

/** A small Lambda handler, as users write them. */
export function handler(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });'),
    ...props,
  });
}

/** A REST API with one GET method backed by a Lambda function. */
export function restApi(scope: Construct, id: string, props: apigateway.RestApiProps = {}): apigateway.RestApi {
  const api = new apigateway.RestApi(scope, id, props);
  api.root.addMethod('GET', new apigateway.LambdaIntegration(handler(scope, `${id}Handler`)));
  return api;
}

/** A PRIVATE REST API with one GET method. */
export function privateRestApi(scope: Construct, id: string, props: apigateway.RestApiProps = {}): apigateway.RestApi {
  return restApi(scope, id, { endpointTypes: [apigateway.EndpointType.PRIVATE], ...props });
}

/** An HTTP API with one route backed by a Lambda function. */
export function httpApi(scope: Construct, id: string, props: apigwv2.HttpApiProps = {}): apigwv2.HttpApi {
  const api = new apigwv2.HttpApi(scope, id, props);
  api.addRoutes({
    path: '/orders',
    methods: [apigwv2.HttpMethod.GET],
    integration: new integrations.HttpLambdaIntegration(`${id}Integration`, handler(scope, `${id}Handler`)),
  });
  return api;
}

/** A public hosted zone for example.com. */
export function publicZone(scope: Construct, zoneName = 'example.com'): route53.IHostedZone {
  return new route53.PublicHostedZone(scope, 'Zone', { zoneName });
}

/** A VPC with public and private (NAT) subnets, as `new ec2.Vpc` makes by default. */
export function vpc(scope: Construct, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(scope, id, { maxAzs: 2, natGateways: 1 });
}
