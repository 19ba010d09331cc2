/**
 * The fixed version of broken.ts.
 *
 * The endpoint keeps private DNS on (an internal private API needs it), so the public APIs are
 * published on a regional custom domain with Route 53 A/AAAA alias records — answered by Route 53
 * straight with the API's addresses, so the VPC's private zone for `*.execute-api` never sees the
 * name — and callers use `domain.urlFor(...)` instead of the APIs' default URLs. The callers sit
 * in subnets with a NAT route, so they can reach public APIs at all.
 *
 * The spoke VPC no longer takes the hub's endpoint through a Route 53 Profile: the hub gives it one
 * private hosted zone per private API (`PrivateApiAccess.addApiZone`, the AWS hub-and-spoke pattern),
 * aliased to the hub's endpoint. Only the internal API's hostname leads to the endpoint there, so the
 * spoke's Lambda calls both APIs on their default URLs.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { PrivateApiAccess, RegionalCustomDomain } from '../../src';

export function buildFixed(app: App): void {
  const env = { account: '123456789012', region: 'eu-west-1' };

  const net = new Stack(app, 'Net', { env });
  const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const endpoint = vpc.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const spoke = new ec2.Vpc(net, 'SpokeVpc', { maxAzs: 2, natGateways: 1 });

  const svc = new Stack(app, 'Svc', { env });
  const payments = new apigw.RestApi(svc, 'PaymentsApi', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  payments.root.addResource('pay').addMethod('POST');
  const orders = new apigwv2.HttpApi(svc, 'OrdersApi');
  const internal = new apigw.RestApi(svc, 'InternalApi', { endpointTypes: [apigw.EndpointType.PRIVATE] });
  internal.root.addMethod('GET');
  const hub = new PrivateApiAccess(svc, 'HubAccess', { endpoint, privateDnsEnabled: true });
  hub.allow(internal);
  hub.addApiZone(internal, { vpcs: [spoke] });

  const zone = new route53.PublicHostedZone(svc, 'Zone', { zoneName: 'example.com' });
  const domain = new RegionalCustomDomain(svc, 'ApiDomain', { domainName: 'api.example.com', hostedZone: zone });
  domain.addRestApi(payments, { basePath: 'payments' });
  domain.addHttpApi(orders, { basePath: 'orders' });

  new lambda.Function(svc, 'OrderSync', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => fetch(process.env.PAYMENTS_URL + "pay", { method: "POST" })'),
    vpc,
    environment: { PAYMENTS_URL: domain.urlFor('payments'), ORDERS_URL: domain.urlFor('orders') },
  });

  const cluster = new ecs.Cluster(svc, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(svc, 'WorkerTask');
  task.addContainer('worker', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
    environment: { ORDERS_URL: domain.urlFor('orders') },
  });
  new ecs.FargateService(svc, 'Worker', { cluster, taskDefinition: task });

  new lambda.Function(svc, 'Ledger', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => fetch(process.env.PAYMENTS_URL + "pay", { method: "POST" })'),
    vpc: spoke,
    environment: { PAYMENTS_URL: payments.url, INTERNAL_URL: internal.url },
  });
}
