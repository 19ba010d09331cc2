/**
 * `npm run budget`: the engine's time budget under large input (issue B): no template up to 1 MB
 * and no app up to 10,000 resources may take the engine more than 1 s on a 2-core machine.
 *
 * - a 1 MB CloudFormation template (JSON, and the same as YAML): VPCs with execute-api endpoints,
 *   REST APIs with resource policies and stages, VPC Lambda callers with URLs in their environment
 *   and a long user-data-like variable, IAM roles that grant execute-api:Invoke, read by the
 *   template door (`analyzeTemplateFiles`: load, graph, facts, rules);
 * - a CDK app of 10,000 resources of the same shapes (L1 constructs, so that building it is quick),
 *   read by the construct-tree door (`analyzeScope`: read the tree, graph, facts, rules).
 *
 * Each is timed warm (the median of 5 runs after one warm-up) and cold (the first run); the script
 * exits with 1 when a warm run is over the budget. A script, not a test: timings belong here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as yaml from 'yaml';
import { analyzeScope, analyzeTemplateFiles } from '../src/analyze';

const BUDGET_MS = Number(process.env.BUDGET_MS ?? 1000);

type Json = { [k: string]: unknown };

/** The resources of one "unit": a VPC with an endpoint, an API, and callers of it. */
function unit(i: number, callers: number, filler: number): { [logicalId: string]: Json } {
  const r: { [logicalId: string]: Json } = {};
  r[`Vpc${i}`] = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
  r[`Subnet${i}`] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: `Vpc${i}` }, CidrBlock: '10.0.0.0/24' } };
  r[`Table${i}`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `Vpc${i}` } } };
  r[`Assoc${i}`] = {
    Type: 'AWS::EC2::SubnetRouteTableAssociation',
    Properties: { SubnetId: { Ref: `Subnet${i}` }, RouteTableId: { Ref: `Table${i}` } },
  };
  r[`Sg${i}`] = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: { Ref: `Vpc${i}` } } };
  r[`Endpoint${i}`] = {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      VpcId: { Ref: `Vpc${i}` },
      VpcEndpointType: 'Interface',
      ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.execute-api' },
      PrivateDnsEnabled: i % 2 === 0,
      SubnetIds: [{ Ref: `Subnet${i}` }],
    },
  };
  r[`Api${i}`] = {
    Type: 'AWS::ApiGateway::RestApi',
    Properties: {
      Name: `api${i}`,
      EndpointConfiguration: { Types: [i % 3 === 0 ? 'PRIVATE' : 'REGIONAL'] },
      Policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringNotEquals: { 'aws:SourceVpce': { Ref: `Endpoint${i}` } } },
          },
        ],
      },
    },
  };
  r[`Method${i}`] = {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: { Ref: `Api${i}` },
      ResourceId: { 'Fn::GetAtt': [`Api${i}`, 'RootResourceId'] },
      HttpMethod: 'GET',
      AuthorizationType: i % 4 === 0 ? 'AWS_IAM' : 'NONE',
    },
  };
  r[`Deployment${i}`] = { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: `Api${i}` } } };
  r[`Stage${i}`] = {
    Type: 'AWS::ApiGateway::Stage',
    Properties: { RestApiId: { Ref: `Api${i}` }, StageName: 'prod', DeploymentId: { Ref: `Deployment${i}` } },
  };
  for (let c = 0; c < callers; c++) {
    r[`Role${i}x${c}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'invoke',
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['execute-api:Invoke', 'execute-api:*', 'logs:*'],
                  Resource: {
                    'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api${i}}/*`,
                  },
                },
              ],
            },
          },
        ],
      },
    };
    r[`Fn${i}x${c}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': [`Role${i}x${c}`, 'Arn'] },
        Code: { ZipFile: 'exports.handler = async () => fetch(process.env.API_URL);' },
        VpcConfig: { SubnetIds: [{ Ref: `Subnet${i}` }], SecurityGroupIds: [{ Ref: `Sg${i}` }] },
        Environment: {
          Variables: {
            API_URL: {
              'Fn::Sub': `https://\${Api${i}}.execute-api.\${AWS::Region}.amazonaws.com/${c % 5 === 0 ? 'beta' : 'prod'}/`,
            },
            // A long value without a dot, and one with many hostnames: what made the scan superlinear.
            NOTES: 'x'.repeat(filler) + ' see https://docs.example.com/a and https://status.example.org/b',
          },
        },
      },
    };
  }
  return r;
}

function template(units: number, callers: number, filler: number): Json {
  const Resources: { [k: string]: Json } = {};
  for (let i = 0; i < units; i++) Object.assign(Resources, unit(i, callers, filler));
  return { AWSTemplateFormatVersion: '2010-09-09', Resources };
}

/** Grows a template until its JSON text is about `bytes`. */
function templateOfSize(bytes: number): { text: string; resources: number } {
  let units = 1;
  for (;;) {
    const t = template(units, 4, 2_000);
    const text = JSON.stringify(t, null, 1);
    if (text.length >= bytes) return { text, resources: Object.keys(t.Resources as Json).length };
    units = Math.max(units + 1, Math.floor((units * bytes) / text.length));
  }
}

/** A CDK app of about `n` resources, as L1 constructs of the same shapes, over stacks of ~400. */
function appOfSize(n: number): { app: App; resources: number } {
  const app = new App();
  let count = 0;
  let s = 0;
  while (count < n) {
    const stack = new Stack(app, `Stack${s}`);
    const units = unit(s * 100, 4, 200);
    let inStack = 0;
    for (let i = 0; inStack < 400 && count < n; i++) {
      for (const [id, r] of Object.entries(s === 0 && i === 0 ? units : unit(s * 100 + i, 4, 200))) {
        if (count >= n) break;
        new CfnResource(stack, id, { type: r.Type as string, properties: r.Properties as Json });
        count++;
        inStack++;
      }
    }
    s++;
  }
  return { app, resources: count };
}

function time(f: () => unknown): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function measure(f: () => unknown): { cold: number; warm: number } {
  const cold = time(f);
  const runs = Array.from({ length: 5 }, () => time(f)).sort((a, b) => a - b);
  return { cold, warm: runs[2] };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-'));
const rows: Array<[string, number, number, { cold: number; warm: number }]> = [];

const big = templateOfSize(1_000_000);
const jsonFile = path.join(dir, 'big.json');
fs.writeFileSync(jsonFile, big.text);
rows.push(['template, 1 MB JSON', big.text.length, big.resources, measure(() => analyzeTemplateFiles([jsonFile]))]);

const yamlText = yaml.stringify(JSON.parse(big.text));
const yamlFile = path.join(dir, 'big.yaml');
fs.writeFileSync(yamlFile, yamlText);
rows.push([
  'template, the same as YAML',
  yamlText.length,
  big.resources,
  measure(() => analyzeTemplateFiles([yamlFile])),
]);

const { app, resources } = appOfSize(10_000);
rows.push(['CDK app, construct tree', 0, resources, measure(() => analyzeScope(app))]);

console.log(
  `budget: ${BUDGET_MS} ms per engine run (warm median of 5; cold = first run), ${os.cpus().length} cores, node ${process.version}`,
);
console.log('input                        |     bytes | resources |  cold ms |  warm ms | within budget');
let over = 0;
for (const [name, bytes, n, t] of rows) {
  const ok = t.warm <= BUDGET_MS;
  if (!ok) over++;
  console.log(
    `${name.padEnd(28)} | ${String(bytes || '-').padStart(9)} | ${String(n).padStart(9)} | ${t.cold.toFixed(0).padStart(8)} | ${t.warm
      .toFixed(0)
      .padStart(8)} | ${ok ? 'yes' : 'NO'}`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
process.exitCode = over > 0 ? 1 : 0;
