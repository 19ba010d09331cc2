/**
 * The resource types whose properties the facts read. The construct-tree door renders only these
 * (CDK's token resolution is most of its cost); a resource of another type is kept, without its
 * properties, when a rendered value refers to it or when it holds hints, and left out otherwise.
 * test/facts/read-types.test.ts fails when a fact or a rule names a type that is not listed here.
 */
export const FACT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::ApiGateway::BasePathMapping',
  'AWS::ApiGateway::BasePathMappingV2',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::DomainName',
  'AWS::ApiGateway::DomainNameAccessAssociation',
  'AWS::ApiGateway::DomainNameV2',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::ApiMapping',
  'AWS::ApiGatewayV2::DomainName',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::RoutingRule',
  'AWS::ApiGatewayV2::Stage',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::Batch::ComputeEnvironment',
  'AWS::CodeBuild::Project',
  'AWS::EC2::EIP',
  'AWS::EC2::EIPAssociation',
  'AWS::EC2::Instance',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::NatGateway',
  'AWS::EC2::Route',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCEndpoint',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::EKS::Nodegroup',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::Lambda::Function',
  'AWS::Route53::HostedZone',
  'AWS::Route53::RecordSet',
  'AWS::Route53::RecordSetGroup',
  'AWS::Route53Profiles::Profile',
  'AWS::Route53Profiles::ProfileAssociation',
  'AWS::Route53Profiles::ProfileResourceAssociation',
  'AWS::Route53Resolver::ResolverRule',
  'AWS::Route53Resolver::ResolverRuleAssociation',
  'AWS::SSM::Parameter',
  'AWS::SageMaker::NotebookInstance',
  'AWS::SecretsManager::Secret',
  'AWS::Serverless::Api',
  'AWS::Serverless::Function',
  'AWS::Serverless::HttpApi',
  'AWS::Serverless::WebSocketApi',
  // Read by the SAM expansion (graph/sam.ts): its Api events add methods to SAM's APIs.
  'AWS::Serverless::StateMachine',
  // Nested stacks and SAM applications: what they pass to the stacks they nest.
  'AWS::CloudFormation::Stack',
  'AWS::Serverless::Application',
]);

/** Whether the facts read the properties of resources of this type. */
export function readsResourceType(type: string): boolean {
  return FACT_RESOURCE_TYPES.has(type);
}
