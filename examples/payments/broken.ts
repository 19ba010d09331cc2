/**
 * The broken version: how most apps fall into the trap.
 *
 * A network stack owns the VPC and an execute-api interface endpoint (added for a private API,
 * with CDK's default: private DNS on). A service stack runs a Lambda function and a Fargate
 * service in that VPC; both call a public REST API and an HTTP API on their default URLs.
 * Inside the VPC, private DNS sends `*.execute-api.<region>.amazonaws.com` to the endpoint,
 * which only reaches private APIs: every call gets 403 Forbidden.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export function buildBroken(app: App): void {
  const env = { account: '123456789012', region: 'eu-west-1' };

  const net = new Stack(app, 'Net', { env });
  const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 1 });
  // Added so that tasks can reach an internal private API; privateDnsEnabled defaults to true.
  vpc.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });

  const svc = new Stack(app, 'Svc', { env });
  const payments = new apigw.RestApi(svc, 'PaymentsApi', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  payments.root.addResource('pay').addMethod('POST');
  const orders = new apigwv2.HttpApi(svc, 'OrdersApi');

  new lambda.Function(svc, 'OrderSync', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => fetch(process.env.PAYMENTS_URL + "pay", { method: "POST" })'),
    vpc,
    environment: { PAYMENTS_URL: payments.url, ORDERS_URL: orders.apiEndpoint },
  });

  const cluster = new ecs.Cluster(svc, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(svc, 'WorkerTask');
  task.addContainer('worker', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
    environment: { ORDERS_URL: orders.url! },
  });
  new ecs.FargateService(svc, 'Worker', { cluster, taskDefinition: task });
}
