import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as mwaa from 'aws-cdk-lib/aws-mwaa';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { IConstruct } from 'constructs';
import { ApiReachability } from '../../src';
import { graphOfApp } from '../../src/analyze';
import { deriveFacts } from '../../src/facts';
import { newApp } from '../fixtures/apps/scenario';
import { findings } from '../fixtures/helpers';

/** A VPC with a private-DNS execute-api endpoint, a public API, and one caller built by `make`. */
function withCaller(make: (stack: Stack, vpc: ec2.Vpc, sg: ec2.SecurityGroup) => IConstruct) {
  const app = newApp();
  const stack = new Stack(app, 'Svc');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  vpc.addInterfaceEndpoint('Endpoint', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
  const api = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  api.root.addMethod('GET');
  const caller = make(stack, vpc, sg);
  ApiReachability.of(caller).declareCall(api);
  return { app, caller };
}

const isolated = (vpc: ec2.Vpc) => vpc.isolatedSubnets.map((s) => s.subnetId);

describe('callers the table knows', () => {
  test.each<[string, (stack: Stack, vpc: ec2.Vpc, sg: ec2.SecurityGroup) => IConstruct, string]>([
    [
      'a Batch compute environment',
      (stack, vpc, sg) =>
        new batch.CfnComputeEnvironment(stack, 'Batch', {
          type: 'MANAGED',
          computeResources: {
            type: 'FARGATE',
            maxvCpus: 4,
            subnets: isolated(vpc),
            securityGroupIds: [sg.securityGroupId],
          },
        }),
      'Batch compute environment Svc/Batch',
    ],
    [
      'a SageMaker notebook instance',
      (stack, vpc, sg) =>
        new sagemaker.CfnNotebookInstance(stack, 'Notebook', {
          instanceType: 'ml.t3.medium',
          roleArn: 'arn:aws:iam::123456789012:role/nb',
          subnetId: vpc.isolatedSubnets[0].subnetId,
          securityGroupIds: [sg.securityGroupId],
          directInternetAccess: 'Disabled',
        }),
      'SageMaker notebook instance Svc/Notebook',
    ],
    [
      'an EKS node group',
      (stack, vpc) =>
        new eks.CfnNodegroup(stack, 'Nodes', {
          clusterName: 'c',
          nodeRole: 'arn:aws:iam::123456789012:role/n',
          subnets: isolated(vpc),
        }),
      'EKS node group Svc/Nodes',
    ],
    [
      'a SageMaker model with VpcConfig',
      (stack, vpc, sg) =>
        new sagemaker.CfnModel(stack, 'Model', {
          executionRoleArn: 'arn:aws:iam::123456789012:role/sm',
          primaryContainer: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1' },
          vpcConfig: { subnets: isolated(vpc), securityGroupIds: [sg.securityGroupId] },
        }),
      'SageMaker model Svc/Model',
    ],
    [
      'an MWAA environment',
      (stack, vpc, sg) =>
        new mwaa.CfnEnvironment(stack, 'Airflow', {
          name: 'af',
          networkConfiguration: { subnetIds: isolated(vpc), securityGroupIds: [sg.securityGroupId] },
        }),
      'MWAA environment Svc/Airflow',
    ],
    [
      'an App Runner service with VPC egress',
      (stack, vpc, sg) => {
        const connector = new apprunner.CfnVpcConnector(stack, 'Connector', {
          subnets: isolated(vpc),
          securityGroups: [sg.securityGroupId],
        });
        return new apprunner.CfnService(stack, 'Web', {
          sourceConfiguration: {
            imageRepository: {
              imageIdentifier: 'public.ecr.aws/nginx/nginx:latest',
              imageRepositoryType: 'ECR_PUBLIC',
            },
          },
          networkConfiguration: {
            egressConfiguration: { egressType: 'VPC', vpcConnectorArn: connector.attrVpcConnectorArn },
          },
        });
      },
      'App Runner service Svc/Web',
    ],
    [
      'a Glue job with a connection',
      (stack, vpc, sg) => {
        const conn = new glue.CfnConnection(stack, 'Conn', {
          catalogId: stack.account,
          connectionInput: {
            name: 'vpc-conn',
            connectionType: 'NETWORK',
            physicalConnectionRequirements: {
              subnetId: vpc.isolatedSubnets[0].subnetId,
              securityGroupIdList: [sg.securityGroupId],
            },
          },
        });
        return new glue.CfnJob(stack, 'Etl', {
          role: 'arn:aws:iam::123456789012:role/glue',
          command: { name: 'glueetl', scriptLocation: 's3://b/job.py' },
          connections: { connections: [conn.ref] },
        });
      },
      'Glue job Svc/Etl',
    ],
    [
      'an EMR cluster in a subnet',
      (stack, vpc, sg) =>
        new emr.CfnCluster(stack, 'Emr', {
          name: 'c',
          jobFlowRole: 'EMR_EC2_DefaultRole',
          serviceRole: 'EMR_DefaultRole',
          instances: {
            ec2SubnetId: vpc.isolatedSubnets[0].subnetId,
            emrManagedMasterSecurityGroup: sg.securityGroupId,
          },
        }),
      'EMR cluster Svc/Emr',
    ],
    [
      'an Auto Scaling group with a launch configuration',
      (stack, vpc, sg) => {
        const lc = new autoscaling.CfnLaunchConfiguration(stack, 'Lc', {
          imageId: 'ami-123',
          instanceType: 't3.micro',
          securityGroups: [sg.securityGroupId],
        });
        return new autoscaling.CfnAutoScalingGroup(stack, 'Asg', {
          maxSize: '1',
          minSize: '1',
          launchConfigurationName: lc.ref,
          vpcZoneIdentifier: isolated(vpc),
        });
      },
      'Auto Scaling group Svc/Asg',
    ],
  ])('%s is a caller in its VPC, and a declared call through it is reported', (_, make, label) => {
    const { app } = withCaller(make);
    const f = findings(app, 'PrivateDnsShadowsPublicApi');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain(`${label} runs in VPC Svc/Vpc`);
  });

  test('callers whose public IP is unknown (Batch, EKS) stay silent for egress; Lambda-like ones without a public IP do not', () => {
    const batchApp = withCaller(
      (stack, vpc, sg) =>
        new batch.CfnComputeEnvironment(stack, 'Batch', {
          type: 'MANAGED',
          computeResources: {
            type: 'FARGATE',
            maxvCpus: 4,
            subnets: vpc.publicSubnets.map((s) => s.subnetId),
            securityGroupIds: [sg.securityGroupId],
          },
        }),
    ).app;
    expect(findings(batchApp, 'PublicApiCallerWithoutEgress')).toEqual([]);
    const notebook = withCaller(
      (stack, vpc, sg) =>
        new sagemaker.CfnNotebookInstance(stack, 'Notebook', {
          instanceType: 'ml.t3.medium',
          roleArn: 'arn:aws:iam::123456789012:role/nb',
          subnetId: vpc.publicSubnets[0].subnetId,
          securityGroupIds: [sg.securityGroupId],
          directInternetAccess: 'Disabled',
        }),
    ).app;
    expect(findings(notebook, 'PublicApiCallerWithoutEgress')).toHaveLength(1);
  });

  test('an EC2 instance in a public subnet with an Elastic IP has egress even without MapPublicIpOnLaunch', () => {
    const { app } = withCaller((stack, vpc, sg) => {
      const subnet = new ec2.CfnSubnet(stack, 'NoMapSubnet', {
        vpcId: vpc.vpcId,
        cidrBlock: '10.0.200.0/24',
        mapPublicIpOnLaunch: false,
      });
      new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', {
        subnetId: subnet.ref,
        routeTableId: vpc.publicSubnets[0].routeTable.routeTableId,
      });
      const instance = new ec2.CfnInstance(stack, 'Box', {
        imageId: 'ami-123',
        subnetId: subnet.ref,
        securityGroupIds: [sg.securityGroupId],
      });
      new ec2.CfnEIP(stack, 'Eip', { instanceId: instance.ref });
      return instance;
    });
    expect(findings(app, 'PublicApiCallerWithoutEgress')).toEqual([]);
    const facts = deriveFacts(graphOfApp(app));
    expect(facts.callers.map((c) => [c.kind, c.publicIp])).toEqual([['EC2 instance', 'yes']]);
  });
});

describe('callers outside a VPC', () => {
  test.each<[string, (stack: Stack) => IConstruct]>([
    [
      'a Lambda function',
      (stack) =>
        new lambda.Function(stack, 'Caller', {
          runtime: lambda.Runtime.NODEJS_24_X,
          handler: 'index.handler',
          code: lambda.Code.fromInline('exports.handler = async () => 1'),
        }),
    ],
    [
      'a CodeBuild project',
      (stack) =>
        new codebuild.Project(stack, 'Caller', {
          buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['curl $API'] } } }),
        }),
    ],
  ])('%s is a caller with no VPC: API rules see it, VPC rules stay silent', (_, make) => {
    const { app, caller } = withCaller(make);
    const facts = deriveFacts(graphOfApp(app));
    const c = facts.callers.find((x) => x.resource.path === `${caller.node.path}/Resource`);
    expect(c).toEqual(expect.objectContaining({ inVpc: false, vpc: undefined, subnets: [] }));
    expect(facts.calls.filter((l) => l.caller === c)).toHaveLength(1);
    // The VPC has a private-DNS endpoint and isolated subnets, but the caller is not in it.
    expect(findings(app, 'PrivateDnsShadowsPublicApi')).toEqual([]);
    expect(findings(app, 'PublicApiCallerWithoutEgress')).toEqual([]);
  });
});
