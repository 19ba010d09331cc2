/**
 * `npm run bench`: how long the engine takes on generated apps of growing size.
 *
 * Each app has N VPC Lambda functions, N/4 APIs, N/10 VPCs with execute-api endpoints, spread over
 * stacks, with cross-stack references. It reports, per size, the time to read the construct tree,
 * to normalize it into the graph, and to derive facts and run the rules; and the time per resource,
 * which should stay flat if cost grows linearly with the app.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { analyzeGraph } from '../src/analyze';
import { stacksFromConstructTree } from '../src/graph/from-construct-tree';
import { ResourceGraph } from '../src/graph/resource-graph';

function build(n: number): App {
  const app = new App();
  const net = new Stack(app, 'Net');
  const vpcs = Array.from({ length: Math.max(1, Math.floor(n / 10)) }, (_, i) => {
    const vpc = new ec2.Vpc(net, `Vpc${i}`, { maxAzs: 2, natGateways: 1 });
    vpc.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY, privateDnsEnabled: i % 2 === 0 });
    return vpc;
  });
  const apisStack = new Stack(app, 'Apis');
  const apis = Array.from({ length: Math.max(1, Math.floor(n / 4)) }, (_, i) => {
    const api = new apigw.RestApi(apisStack, `Api${i}`, { endpointTypes: [apigw.EndpointType.REGIONAL] });
    api.root.addMethod('GET');
    return api;
  });
  for (let s = 0; s * 50 < n; s++) {
    const stack = new Stack(app, `Svc${s}`);
    for (let i = s * 50; i < Math.min(n, (s + 1) * 50); i++) {
      new lambda.Function(stack, `Fn${i}`, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
        vpc: vpcs[i % vpcs.length],
        environment: { API_URL: apis[i % apis.length].url },
      });
    }
  }
  return app;
}

function time<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

const sizes = (process.env.BENCH_SIZES ?? '50,100,200,400').split(',').map(Number);
console.log('callers | resources | read tree ms | graph ms | facts+rules ms | total ms | µs/resource | findings');
for (const n of sizes) {
  const app = build(n);
  const [raw, read] = time(() => stacksFromConstructTree(app));
  const [graph, norm] = time(() => ResourceGraph.fromStacks(raw));
  const [result, rules] = time(() => analyzeGraph(graph));
  const total = read + norm + rules;
  const perResource = ((total * 1000) / graph.resources.length).toFixed(0);
  console.log(
    [n, graph.resources.length, read.toFixed(0), norm.toFixed(0), rules.toFixed(0), total.toFixed(0), perResource, result.findings.length].join(' | '),
  );
}
