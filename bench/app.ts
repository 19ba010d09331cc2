/**
 * The generated apps of `npm run bench`: the shapes of a real platform app, repeated.
 *
 * A network stack per eight service stacks (a VPC with public and private subnets, one NAT gateway
 * and an execute-api endpoint: private DNS on in every other one) and, per service stack: a
 * regional REST API with methods, an API key and a usage plan, behind a custom domain with a base
 * path mapping and a Route 53 A alias; a private REST API with a resource policy; an HTTP API; VPC
 * Lambda functions calling the APIs of their own stack and of the stack before it (cross-stack
 * references), through their default hostnames and the custom domain; and a Fargate service whose
 * container calls an API. Every stack is in one account and region.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';

const env = { account: '111111111111', region: 'eu-west-1' };

interface Net {
  readonly vpc: ec2.Vpc;
  readonly endpoint: ec2.InterfaceVpcEndpoint;
  readonly cluster: ecs.Cluster;
}

interface Service {
  readonly api: apigw.RestApi;
  readonly http: apigwv2.HttpApi;
}

/** Builds an app of `services` service stacks (about 67 resources each, network stacks included). */
export function buildApp(services: number, props: { outdir?: string } = {}): App {
  const app = new App({ outdir: props.outdir, builtinCloudFormationValidation: false, stackTraces: false });
  const nets: Net[] = [];
  let previous: Service | undefined;
  for (let s = 0; s < services; s++) {
    if (s % 8 === 0) nets.push(network(app, `Net${nets.length}`, nets.length));
    previous = service(app, `Svc${s}`, s, nets[nets.length - 1], previous);
  }
  return app;
}

function network(app: App, id: string, n: number): Net {
  const stack = new Stack(app, id, { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const endpoint = vpc.addInterfaceEndpoint('ExecuteApi', {
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    privateDnsEnabled: n % 2 === 0,
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return { vpc, endpoint, cluster };
}

function service(app: App, id: string, s: number, net: Net, previous: Service | undefined): Service {
  const stack = new Stack(app, id, { env });

  const api = new apigw.RestApi(stack, 'Orders', {
    endpointTypes: [apigw.EndpointType.REGIONAL],
    deployOptions: { stageName: 'prod' },
  });
  const orders = api.root.addResource('orders');
  orders.addMethod('GET', undefined, { apiKeyRequired: true });
  orders.addMethod('POST', undefined, { authorizationType: apigw.AuthorizationType.IAM });
  orders.addResource('{id}').addMethod('GET');
  const plan = api.addUsagePlan('Plan', { throttle: { rateLimit: 10, burstLimit: 2 } });
  plan.addApiStage({ stage: api.deploymentStage });
  plan.addApiKey(api.addApiKey('Key'));

  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0000000000000000000',
    zoneName: 'example.com',
  });
  const domain = new apigw.DomainName(stack, 'Domain', {
    domainName: `orders${s}.example.com`,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:eu-west-1:111111111111:certificate/${s}`),
    endpointType: apigw.EndpointType.REGIONAL,
  });
  domain.addBasePathMapping(api, { basePath: 'orders' });
  new route53.ARecord(stack, 'Alias', {
    zone,
    recordName: `orders${s}`,
    target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
  });

  const internal = new apigw.RestApi(stack, 'Internal', {
    endpointTypes: [apigw.EndpointType.PRIVATE],
    policy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
          conditions: { StringEquals: { 'aws:SourceVpce': net.endpoint.vpcEndpointId } },
        }),
      ],
    }),
  });
  internal.root.addMethod('GET');

  const http = new apigwv2.HttpApi(stack, 'Events');

  const callee = previous ?? { api, http };
  const urls: Record<string, string>[] = [
    { ORDERS_URL: api.url, PEER_URL: callee.api.url },
    { INTERNAL_URL: internal.url, EVENTS_URL: http.apiEndpoint },
    { DOMAIN_URL: `https://orders${s}.example.com/orders`, PEER_EVENTS: callee.http.apiEndpoint },
  ];
  urls.forEach((environment, i) => {
    const fn = new lambda.Function(stack, `Fn${i}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => fetch(process.env.ORDERS_URL);'),
      vpc: net.vpc,
      timeout: Duration.seconds(10),
      environment,
    });
    if (i === 0) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi()] }));
  });

  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('App', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
    environment: { ORDERS_URL: callee.api.url },
  });
  new ecs.FargateService(stack, 'Worker', { cluster: net.cluster, taskDefinition: task, desiredCount: 1 });

  return { api, http };
}

/** The number of CloudFormation resources of an app, across all its stacks (after synthesis). */
export function resourceCount(app: App): number {
  const assembly = app.synth();
  return assembly.stacksRecursively.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
}
