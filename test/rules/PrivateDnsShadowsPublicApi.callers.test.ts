/**
 * Rule 1 (PrivateDnsShadowsPublicApi) for the callers read as table entries: Batch job definitions,
 * ECS services in bridge or host mode, App Runner services with VPC egress, Glue jobs with a
 * connection, SageMaker models, EMR clusters and MWAA environments. Each gets a failing template
 * (the finding names the caller and the property path of the URL) and a near miss.
 */
import { analyzeGraph } from '../../src/analyze';
import { templateGraph, templateStack } from '../fixtures/helpers';

const RULE = 'ApiReachability-PrivateDnsShadowsPublicApi';
const URL = { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/' };

/** A VPC with a subnet, a security group and an execute-api endpoint (private DNS as told), a REGIONAL API, and `callers`. */
function app(callers: Record<string, unknown>, privateDns = true) {
  return templateGraph(
    templateStack({
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Sub: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' }, GroupDescription: 'g' } },
      Endpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          ServiceName: 'com.amazonaws.us-east-1.execute-api',
          VpcEndpointType: 'Interface',
          PrivateDnsEnabled: privateDns,
          SubnetIds: [{ Ref: 'Sub' }],
        },
      },
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'orders', EndpointConfiguration: { Types: ['REGIONAL'] } },
      },
      ...callers,
    }),
  );
}

const rule1 = (g: ReturnType<typeof app>) => analyzeGraph(g).findings.filter((f) => f.rule === RULE);

/** The finding of rule 1 on `caller`, from the URL at `location`. */
function shadowed(caller: string, location: string, kind: string) {
  return [
    expect.objectContaining({
      level: 'error',
      findingId: 'S/Api',
      resource: expect.objectContaining({ logicalId: caller }),
      location,
      message: expect.stringContaining(`${kind} S/${caller} runs in VPC S/Vpc`),
    }),
  ];
}

const env = (name: string) => [{ Name: name, Value: URL }];

const batch = (withQueue: boolean) => ({
  Ce: {
    Type: 'AWS::Batch::ComputeEnvironment',
    Properties: {
      Type: 'MANAGED',
      ComputeResources: { Type: 'FARGATE', MaxvCpus: 4, Subnets: [{ Ref: 'Sub' }], SecurityGroupIds: [{ Ref: 'Sg' }] },
    },
  },
  ...(withQueue
    ? {
        Queue: {
          Type: 'AWS::Batch::JobQueue',
          Properties: { Priority: 1, ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Ce' } }] },
        },
      }
    : {}),
  Job: {
    Type: 'AWS::Batch::JobDefinition',
    Properties: {
      Type: 'container',
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: { Image: 'busybox', Environment: env('API_URL') },
    },
  },
});

/** An ECS service on container instances: the cluster's Auto Scaling group, joined by user data or by a capacity provider. */
const ecs = (mode: string | undefined, join: 'user-data' | 'capacity-provider' | 'other-cluster') => ({
  Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
  Other: { Type: 'AWS::ECS::Cluster', Properties: {} },
  Lt: {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {
      LaunchTemplateData: {
        SecurityGroupIds: [{ Ref: 'Sg' }],
        ...(join === 'capacity-provider'
          ? {}
          : {
              UserData: {
                'Fn::Base64': {
                  'Fn::Sub': `#!/bin/bash\necho ECS_CLUSTER=\${${join === 'user-data' ? 'Cluster' : 'Other'}} >> /etc/ecs/ecs.config\n`,
                },
              },
            }),
      },
    },
  },
  Asg: {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    Properties: {
      MinSize: '1',
      MaxSize: '1',
      VPCZoneIdentifier: [{ Ref: 'Sub' }],
      LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: { 'Fn::GetAtt': ['Lt', 'LatestVersionNumber'] } },
    },
  },
  ...(join === 'capacity-provider'
    ? {
        Cp: {
          Type: 'AWS::ECS::CapacityProvider',
          Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: { Ref: 'Asg' } } },
        },
        CpAssoc: {
          Type: 'AWS::ECS::ClusterCapacityProviderAssociations',
          Properties: {
            Cluster: { Ref: 'Cluster' },
            CapacityProviders: [{ Ref: 'Cp' }],
            DefaultCapacityProviderStrategy: [{ CapacityProvider: { Ref: 'Cp' }, Weight: 1 }],
          },
        },
      }
    : {}),
  Task: {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      ...(mode ? { NetworkMode: mode } : {}),
      ContainerDefinitions: [{ Name: 'app', Image: 'busybox', Memory: 128, Environment: env('API_URL') }],
    },
  },
  Service: {
    Type: 'AWS::ECS::Service',
    Properties: { Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: 'Task' }, LaunchType: 'EC2' },
  },
});

const appRunner = (egress: 'VPC' | 'DEFAULT') => ({
  Connector: {
    Type: 'AWS::AppRunner::VpcConnector',
    Properties: { Subnets: [{ Ref: 'Sub' }], SecurityGroups: [{ Ref: 'Sg' }] },
  },
  Web: {
    Type: 'AWS::AppRunner::Service',
    Properties: {
      SourceConfiguration: {
        ImageRepository: {
          ImageIdentifier: 'public.ecr.aws/nginx/nginx:latest',
          ImageRepositoryType: 'ECR_PUBLIC',
          ImageConfiguration: { RuntimeEnvironmentVariables: env('API_URL') },
        },
      },
      NetworkConfiguration: {
        EgressConfiguration: {
          EgressType: egress,
          ...(egress === 'VPC' ? { VpcConnectorArn: { 'Fn::GetAtt': ['Connector', 'VpcConnectorArn'] } } : {}),
        },
      },
    },
  },
});

const glue = (connections: unknown[]) => ({
  Conn: {
    Type: 'AWS::Glue::Connection',
    Properties: {
      CatalogId: { Ref: 'AWS::AccountId' },
      ConnectionInput: {
        Name: 'vpc-conn',
        ConnectionType: 'NETWORK',
        PhysicalConnectionRequirements: {
          SubnetId: { Ref: 'Sub' },
          SecurityGroupIdList: [{ Ref: 'Sg' }],
          AvailabilityZone: 'us-east-1a',
        },
      },
    },
  },
  Etl: {
    Type: 'AWS::Glue::Job',
    Properties: {
      Role: 'arn:aws:iam::123456789012:role/glue',
      Command: { Name: 'glueetl', ScriptLocation: 's3://bucket/job.py' },
      ...(connections.length > 0 ? { Connections: { Connections: connections } } : {}),
      DefaultArguments: { '--api_url': URL },
    },
  },
});

const sageMakerModel = (inVpc: boolean) => ({
  Model: {
    Type: 'AWS::SageMaker::Model',
    Properties: {
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sm',
      PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1', Environment: { API_URL: URL } },
      ...(inVpc ? { VpcConfig: { Subnets: [{ Ref: 'Sub' }], SecurityGroupIds: [{ Ref: 'Sg' }] } } : {}),
    },
  },
});

const emr = (inSubnet: boolean) => ({
  Emr: {
    Type: 'AWS::EMR::Cluster',
    Properties: {
      Name: 'c',
      ReleaseLabel: 'emr-7.0.0',
      JobFlowRole: 'EMR_EC2_DefaultRole',
      ServiceRole: 'EMR_DefaultRole',
      Instances: {
        ...(inSubnet ? { Ec2SubnetId: { Ref: 'Sub' } } : {}),
        EmrManagedMasterSecurityGroup: { Ref: 'Sg' },
        MasterInstanceGroup: { InstanceCount: 1, InstanceType: 'm5.xlarge' },
      },
      Steps: [{ Name: 'ping', HadoopJarStep: { Jar: 'command-runner.jar', Args: ['curl', URL] } }],
    },
  },
});

const mwaa = () => ({
  Airflow: {
    Type: 'AWS::MWAA::Environment',
    Properties: {
      Name: 'af',
      NetworkConfiguration: { SubnetIds: [{ Ref: 'Sub' }], SecurityGroupIds: [{ Ref: 'Sg' }] },
      AirflowConfigurationOptions: { 'orders.api_url': URL },
    },
  },
});

describe('PrivateDnsShadowsPublicApi, for the callers of the table', () => {
  describe('reports', () => {
    test.each<[string, Record<string, unknown>, string, string, string]>([
      [
        'a Batch job definition, in the VPC of the job queue’s compute environment',
        batch(true),
        'Job',
        'Properties.ContainerProperties.Environment.0.Value',
        'Batch job definition',
      ],
      [
        'an ECS service in bridge mode, on instances whose user data joins the cluster',
        ecs('bridge', 'user-data'),
        'Service',
        'Properties.TaskDefinition',
        'ECS service',
      ],
      [
        'an ECS service with no network mode (bridge), on the Auto Scaling group of the cluster’s capacity provider',
        ecs(undefined, 'capacity-provider'),
        'Service',
        'Properties.TaskDefinition',
        'ECS service',
      ],
      ['an ECS service in host mode', ecs('host', 'user-data'), 'Service', 'Properties.TaskDefinition', 'ECS service'],
      [
        'an App Runner service with VPC egress',
        appRunner('VPC'),
        'Web',
        'Properties.SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables.0.Value',
        'App Runner service',
      ],
      [
        'a Glue job with a connection, named by its name',
        glue(['vpc-conn']),
        'Etl',
        'Properties.DefaultArguments.--api_url',
        'Glue job',
      ],
      [
        'a Glue job with a connection, named by its Ref',
        glue([{ Ref: 'Conn' }]),
        'Etl',
        'Properties.DefaultArguments.--api_url',
        'Glue job',
      ],
      [
        'a SageMaker model with VpcConfig',
        sageMakerModel(true),
        'Model',
        'Properties.PrimaryContainer.Environment.API_URL',
        'SageMaker model',
      ],
      ['an EMR cluster in a subnet', emr(true), 'Emr', 'Properties.Steps.0.HadoopJarStep.Args', 'EMR cluster'],
      [
        'an MWAA environment',
        mwaa(),
        'Airflow',
        'Properties.AirflowConfigurationOptions.orders.api_url',
        'MWAA environment',
      ],
    ])('%s', (_, callers, caller, location, kind) => {
      expect(rule1(app(callers))).toEqual(shadowed(caller, location, kind));
    });

    test.each([
      ['bridge', 'user-data'],
      [undefined, 'capacity-provider'],
    ] as const)('an ECS service (%s) names the variable of its task definition as the evidence', (mode, how) => {
      const [f] = rule1(app(ecs(mode, how)));
      expect(f.location).toBe('Properties.TaskDefinition');
      expect(f.evidence).toEqual(
        expect.objectContaining({ location: 'Properties.ContainerDefinitions.0.Environment.0.Value' }),
      );
    });
  });

  describe('stays silent when (near misses)', () => {
    test.each<[string, ReturnType<typeof app>]>([
      ['a Batch job definition with no job queue in the app (its VPC is unknown)', app(batch(false))],
      ['an ECS service in bridge mode whose instances join another cluster', app(ecs('bridge', 'other-cluster'))],
      ['an ECS service in awsvpc mode without a network configuration', app(ecs('awsvpc', 'user-data'))],
      ['an App Runner service with the default egress (outside the VPC)', app(appRunner('DEFAULT'))],
      ['a Glue job with no connection', app(glue([]))],
      ['a Glue job whose connection the app does not define', app(glue(['elsewhere']))],
      ['a SageMaker model without VpcConfig', app(sageMakerModel(false))],
      ['an EMR cluster with no subnet', app(emr(false))],
      ['an MWAA environment in a VPC whose endpoint has private DNS off', app(mwaa(), false)],
    ])('%s', (_, g) => {
      expect(rule1(g)).toEqual([]);
    });
  });
});

describe('PrivateDnsShadowsPublicApi, for calls one step removed or computed', () => {
  const vpcConfig = { SubnetIds: [{ Ref: 'Sub' }], SecurityGroupIds: [{ Ref: 'Sg' }] };
  const fn = (variables: Record<string, unknown>) => ({
    Fn: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: vpcConfig, Environment: { Variables: variables } } },
  });
  const param = { Type: 'AWS::SSM::Parameter', Properties: { Name: '/app/url', Type: 'String', Value: URL } };

  test('a VPC Lambda that reads the URL from an SSM parameter of the app by a dynamic reference', () => {
    const g = app({ Param: param, ...fn({ API_URL: '{{resolve:ssm:/app/url}}' }) });
    expect(rule1(g)).toEqual(shadowed('Fn', 'Properties.Environment.Variables.API_URL', 'Lambda function'));
  });

  test('a VPC Lambda given the hostname as Fn::Select over Fn::Split of the URL', () => {
    const g = app(fn({ API_HOST: { 'Fn::Select': [2, { 'Fn::Split': ['/', URL] }] } }));
    expect(rule1(g)).toEqual(shadowed('Fn', 'Properties.Environment.Variables.API_HOST', 'Lambda function'));
  });

  test('near miss: a dynamic reference to a parameter the app does not define', () => {
    expect(rule1(app({ Param: param, ...fn({ API_URL: '{{resolve:ssm:/other}}' }) }))).toEqual([]);
  });

  test('near miss: a VPC build project whose only URL is a browser-bundle variable', () => {
    const g = app({
      Build: {
        Type: 'AWS::CodeBuild::Project',
        Properties: {
          VpcConfig: { VpcId: { Ref: 'Vpc' }, Subnets: [{ Ref: 'Sub' }], SecurityGroupIds: [{ Ref: 'Sg' }] },
          Environment: { EnvironmentVariables: [{ Name: 'VITE_API_URL', Value: URL }] },
        },
      },
    });
    expect(rule1(g)).toEqual([]);
  });
});
