/**
 * The broken version: how most apps fall into the trap.
 *
 * A network stack owns the VPC and an execute-api interface endpoint (added for a private API,
 * with CDK's default: private DNS on). A service stack runs a Lambda function and a Fargate
 * service in that VPC; both call a public REST API and an HTTP API on their default URLs.
 * Inside the VPC, private DNS sends `*.execute-api.<region>.amazonaws.com` to the endpoint,
 * which only reaches private APIs: every call gets 403 Forbidden.
 *
 * Across VPCs, the same trap: a spoke VPC with no endpoint of its own reaches the internal private
 * API through a Route 53 Profile that carries the hub's endpoint to it. The Profile brings the
 * endpoint's private DNS along, so the spoke's Lambda, which also calls the public payments API on
 * its default URL, gets 403 there too.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as profiles from 'aws-cdk-lib/aws-route53profiles';

export function buildBroken(app: App): void {
  const env = { account: '123456789012', region: 'eu-west-1' };

  const net = new Stack(app, 'Net', { env });
  const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 1 });
  // Added so that tasks can reach an internal private API; privateDnsEnabled defaults to true.
  const endpoint = vpc.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });

  // A spoke VPC shares the hub's endpoint through a Route 53 Profile, private DNS and all.
  const spoke = new ec2.Vpc(net, 'SpokeVpc', { maxAzs: 2, natGateways: 1 });
  const sharedDns = new profiles.CfnProfile(net, 'SharedDns', { name: 'shared-dns' });
  new profiles.CfnProfileResourceAssociation(net, 'SharedEndpoint', {
    name: 'hub-execute-api',
    profileId: sharedDns.attrId,
    resourceArn: net.formatArn({ service: 'ec2', resource: 'vpc-endpoint', resourceName: endpoint.vpcEndpointId }),
  });
  new profiles.CfnProfileAssociation(net, 'SpokeDns', {
    name: 'spoke',
    profileId: sharedDns.attrId,
    resourceId: spoke.vpcId,
  });

  const svc = new Stack(app, 'Svc', { env });
  const payments = new apigw.RestApi(svc, 'PaymentsApi', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  payments.root.addResource('pay').addMethod('POST');
  const orders = new apigwv2.HttpApi(svc, 'OrdersApi');
  const internal = new apigw.RestApi(svc, 'InternalApi', { endpointTypes: [apigw.EndpointType.PRIVATE] });
  internal.root.addMethod('GET');
  internal.grantInvokeFromVpcEndpointsOnly([endpoint]);

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

  new lambda.Function(svc, 'Ledger', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => fetch(process.env.PAYMENTS_URL + "pay", { method: "POST" })'),
    vpc: spoke,
    environment: { PAYMENTS_URL: payments.url, INTERNAL_URL: internal.url },
  });
}
