/**
 * Callers: resources that run code and call APIs; most rules need the ones inside a VPC, which use
 * its DNS resolver. Lambda functions and CodeBuild projects outside a VPC are callers too (`inVpc`
 * false, no `vpc`): the rules about the API itself (disabled default endpoint, stages, IAM grants,
 * custom-domain paths) apply to them as well.
 *
 * Reads, per caller type (one table entry each): where its subnets and security groups are, the
 * configuration that may name a URL (Lambda environment and inline code, container environment,
 * `Command` and `EntryPoint` of the ECS task definition, EC2 / launch template / launch configuration
 * user data and `AWS::CloudFormation::Init` metadata, CodeBuild environment variables and inline
 * buildspec — not the browser-bundle variables, `VITE_` …, which the browser uses, not the build),
 * its IAM role, whether it gets a public IP, and which resources hold its hints (itself, and what it
 * runs: an ECS service's task definition, an instance's launch template or configuration).
 * Types: AWS::Lambda::Function, AWS::Serverless::Function, AWS::ECS::Service (awsvpc; bridge and
 * host on the cluster's Auto Scaling groups), AWS::EC2::Instance, AWS::AutoScaling::AutoScalingGroup,
 * AWS::CodeBuild::Project, AWS::Batch::ComputeEnvironment, AWS::SageMaker::NotebookInstance,
 * AWS::EKS::Nodegroup, AWS::Batch::JobDefinition (VPC of the job queues' compute environments),
 * AWS::AppRunner::Service (VPC egress, its VPC connector), AWS::Glue::Job (its connections),
 * AWS::SageMaker::Model (VpcConfig), AWS::EMR::Cluster (its subnet), AWS::MWAA::Environment.
 * Unknown: a VPC that cannot be told from the subnets and security groups (the caller has no
 * `vpc`), a public IP that depends on something outside the app ('unknown').
 */
import { FactGuard } from './guard';
import { VpcIndex, VpcRef } from './vpcs';
import { ResourceNode, ResourceGraph } from '../graph/resource-graph';
import { Part, ResRef, Value, ValueObject, at, bool, concat, isObject, list, literal, partsOf } from '../graph/values';

/** Whether a caller gets a public IP: never (Lambda, CodeBuild), yes, no, or unknown. */
export type PublicIp = 'never' | 'yes' | 'no' | 'unknown' | 'subnet';

/** One place in a caller's configuration that may hold a URL. */
export interface ConfigValue {
  /** Property path in the template, e.g. `Properties.Environment.Variables.PAYMENTS_URL`. */
  readonly location: string;
  /** The resource that holds it (the caller, or its task definition / launch template). */
  readonly holder: ResourceNode;
  readonly value: Value;
  /** The variable's name, when the path reaches it by index (`ORDERS_URL` of `…Environment.0.Value`). */
  readonly name?: string;
}

/** A caller: a resource that runs code, in a VPC or not. */
export interface Caller {
  readonly resource: ResourceNode;
  /** How messages name its kind ("Lambda function"). */
  readonly kind: string;
  /** False for a Lambda function or CodeBuild project that runs outside any VPC. */
  readonly inVpc: boolean;
  /** Its VPC; absent outside a VPC or when the VPC cannot be told. */
  readonly vpc?: VpcRef;
  readonly subnets: Value[];
  /** Public IP: 'subnet' means "as the subnet's MapPublicIpOnLaunch says". */
  readonly publicIp: PublicIp;
  readonly config: ConfigValue[];
  /** Values naming the caller's IAM role(s) (role ARN, role name, instance profile). */
  readonly roles: Value[];
  /**
   * The resources whose hints (`ApiReachability.of(x)`) count for this caller: the caller itself first,
   * then what it runs (an ECS service's task definition, an instance's launch template or configuration).
   */
  readonly hintHolders: ResourceNode[];
  /**
   * For each resource other than the caller that holds evidence of its calls (what it runs), by key:
   * the caller's own property that leads to it (`Properties.TaskDefinition`), so that a finding on the
   * caller names a path that exists in the caller's template.
   */
  readonly via: ReadonlyMap<string, string>;
  /** The caller's own property that names its IAM role (`Properties.Role`), when it has one. */
  readonly rolesAt?: string;
}

interface Placement {
  /** False when the resource runs outside any VPC. */
  inVpc?: boolean;
  securityGroups: Value[];
  subnets: Value[];
  vpcId?: Value;
  publicIp: PublicIp;
  config: ConfigValue[];
  roles: Value[];
  /** The resources it runs whose hints count for it too (task definition, launch template …). */
  runs?: ResourceNode[];
  /** The property of the caller that names each resource of `runs`, by key. */
  via?: { [key: string]: string };
  /** The property of the caller that names its role (or the resource of `runs` that does). */
  rolesAt?: string;
}

type Reader = (r: ResourceNode, g: ResourceGraph) => Placement | undefined;

/** One entry per caller type: a new type is a new row, not new logic. */
const CALLER_TYPES: { [type: string]: { kind: string; read: Reader } } = {
  'AWS::Lambda::Function': { kind: 'Lambda function', read: lambda },
  'AWS::Serverless::Function': { kind: 'Lambda function', read: lambda },
  'AWS::ECS::Service': { kind: 'ECS service', read: ecsService },
  'AWS::EC2::Instance': { kind: 'EC2 instance', read: ec2Instance },
  'AWS::AutoScaling::AutoScalingGroup': { kind: 'Auto Scaling group', read: autoScalingGroup },
  'AWS::CodeBuild::Project': { kind: 'CodeBuild project', read: codeBuild },
  'AWS::Batch::ComputeEnvironment': { kind: 'Batch compute environment', read: batch },
  'AWS::SageMaker::NotebookInstance': { kind: 'SageMaker notebook instance', read: sageMaker },
  'AWS::EKS::Nodegroup': { kind: 'EKS node group', read: eksNodegroup },
  'AWS::Batch::JobDefinition': { kind: 'Batch job definition', read: batchJobDefinition },
  'AWS::AppRunner::Service': { kind: 'App Runner service', read: appRunner },
  'AWS::Glue::Job': { kind: 'Glue job', read: glueJob },
  'AWS::SageMaker::Model': { kind: 'SageMaker model', read: sageMakerModel },
  'AWS::EMR::Cluster': { kind: 'EMR cluster', read: emrCluster },
  'AWS::MWAA::Environment': { kind: 'MWAA environment', read: mwaa },
};

/** The CloudFormation types of the callers, one per entry of the table above. */
export const CALLER_RESOURCE_TYPES: ReadonlyArray<string> = Object.keys(CALLER_TYPES);

/**
 * The types that callers run, whose hints count for each caller that runs them: a hint on a task
 * definition reaches every ECS service that runs it; one on a launch template or configuration
 * reaches the instances and Auto Scaling groups launched from it.
 */
export const RUN_BY_CALLER_RESOURCE_TYPES: ReadonlyArray<string> = [
  'AWS::ECS::TaskDefinition',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::LaunchConfiguration',
];

/** The types whose hints the facts read: the callers, and what they run. */
export const HINT_HOLDER_RESOURCE_TYPES: ReadonlyArray<string> = [
  ...CALLER_RESOURCE_TYPES,
  ...RUN_BY_CALLER_RESOURCE_TYPES,
];

/** Reads every caller of the app: those in a VPC, and Lambda functions and CodeBuild projects outside one. */
export function readCallers(graph: ResourceGraph, vpcs: VpcIndex, guard = new FactGuard()): Caller[] {
  const out: Caller[] = [];
  for (const type of Object.keys(CALLER_TYPES)) {
    const { kind, read } = CALLER_TYPES[type];
    const readOne = (r: ResourceNode): Caller | undefined => {
      const p = read(r, graph);
      if (!p) return undefined;
      const inVpc = p.inVpc !== false;
      if (inVpc && p.subnets.length === 0 && p.securityGroups.length === 0) return undefined;
      return {
        resource: r,
        kind,
        inVpc,
        vpc: inVpc ? vpcs.placementVpc(p.securityGroups, p.subnets, p.vpcId) : undefined,
        subnets: p.subnets,
        publicIp: p.publicIp,
        config: p.config,
        roles: p.roles,
        hintHolders: [r, ...(p.runs ?? [])],
        via: new Map(Object.entries(p.via ?? {})),
        ...(p.rolesAt !== undefined ? { rolesAt: p.rolesAt } : {}),
      };
    };
    out.push(...guard.each('caller', graph.ofType(type), readOne, (r) => r));
  }
  return out;
}

function lambda(r: ResourceNode): Placement | undefined {
  const vpc = r.properties.VpcConfig;
  if (vpc !== undefined && !isObject(vpc)) return undefined; // a token or Fn::If: placement unknown
  return {
    inVpc: vpc !== undefined,
    securityGroups: list(at(vpc, 'SecurityGroupIds')),
    subnets: list(at(vpc, 'SubnetIds')),
    publicIp: 'never', // Lambda never gets a public IP in a VPC.
    config: [
      ...entries(r, at(r.properties, 'Environment', 'Variables'), 'Properties.Environment.Variables'),
      // Inline code: `Code.ZipFile`, or SAM's `InlineCode` (kept as it is by the SAM expansion).
      ...present(r, at(r.properties, 'Code', 'ZipFile'), 'Properties.Code.ZipFile'),
      ...present(r, r.properties.InlineCode, 'Properties.InlineCode'),
    ],
    roles: r.properties.Role !== undefined ? [r.properties.Role] : [],
    rolesAt: 'Properties.Role',
  };
}

function ecsService(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const net = at(r.properties, 'NetworkConfiguration', 'AwsvpcConfiguration');
  if (!isObject(net)) return ecsServiceOnInstances(r, g);
  const assign = literal(net.AssignPublicIp);
  const td = resolve(g, r.properties.TaskDefinition, 'AWS::ECS::TaskDefinition');
  return {
    securityGroups: list(net.SecurityGroups),
    subnets: list(net.Subnets),
    publicIp: assign === 'ENABLED' ? 'yes' : assign === undefined || assign === 'DISABLED' ? 'no' : 'unknown',
    ...(td
      ? runsTaskDefinition(td)
      : { config: [], roles: [], runs: [], via: {}, rolesAt: 'Properties.TaskDefinition' }),
  };
}

/** What an ECS service takes from the task definition it runs: configuration, task role, hints, and the path to it. */
function runsTaskDefinition(td: ResourceNode): Pick<Placement, 'config' | 'roles' | 'runs' | 'via' | 'rolesAt'> {
  return {
    config: containerConfig(td),
    roles: td.properties.TaskRoleArn !== undefined ? [td.properties.TaskRoleArn] : [],
    runs: [td],
    via: { [td.key]: 'Properties.TaskDefinition' },
    rolesAt: 'Properties.TaskDefinition',
  };
}

/**
 * What the containers of a task definition are configured with: their environment, and their
 * `Command` and `EntryPoint`.
 */
function containerConfig(td: ResourceNode): ConfigValue[] {
  const config: ConfigValue[] = [];
  list(td.properties.ContainerDefinitions).forEach((c, i) => {
    const base = `Properties.ContainerDefinitions.${i}`;
    config.push(...environmentList(td, at(c, 'Environment'), `${base}.Environment`));
    config.push(...present(td, at(c, 'Command'), `${base}.Command`));
    config.push(...present(td, at(c, 'EntryPoint'), `${base}.EntryPoint`));
  });
  return config;
}

/** A list of `{ Name, Value }` pairs, each at `<base>.<index>.Value` (as the template holds it), with its name. */
function environmentList(holder: ResourceNode, env: Value | undefined, base: string): ConfigValue[] {
  const out: ConfigValue[] = [];
  list(env).forEach((e, j) => {
    const value = at(e, 'Value');
    const name = literal(at(e, 'Name'));
    if (value !== undefined) {
      out.push({ location: `${base}.${j}.Value`, holder, value, ...(name !== undefined ? { name } : {}) });
    }
  });
  return out;
}

/**
 * The `AWS::CloudFormation::Init` metadata of an instance, launch template or launch configuration:
 * each of its texts (file contents, commands, sources …) at its own path.
 */
function cfnInit(holder: ResourceNode): ConfigValue[] {
  const out: ConfigValue[] = [];
  const walk = (v: Value | undefined, location: string, depth: number): void => {
    if (v === undefined || depth > 16 || out.length >= MAX_INIT_VALUES) return;
    if (Array.isArray(v)) {
      if (v.every((x) => partsOf(x) !== undefined)) out.push({ location, holder, value: v });
      else v.forEach((x, i) => walk(x, `${location}.${i}`, depth + 1));
    } else if (isObject(v)) {
      for (const k of Object.keys(v)) walk(v[k], `${location}.${k}`, depth + 1);
    } else if (typeof v === 'string' || partsOf(v) !== undefined) {
      out.push({ location, holder, value: v });
    }
  };
  walk(holder.metadata[CFN_INIT] as Value | undefined, `Metadata.${CFN_INIT}`, 0);
  return out;
}

/** At most this many texts of one resource's cfn-init metadata are read. */
const MAX_INIT_VALUES = 1000;

/** A metadata key, not a resource type (a template literal, which the resource-type list's test does not read). */
const CFN_INIT = `AWS::CloudFormation::Init`;

/**
 * An ECS service whose tasks use the network of their container instance (`bridge`, the default
 * without `NetworkMode`, or `host`): it runs in the VPC of the cluster's instances — the Auto
 * Scaling groups of the capacity providers it uses (its own strategy, else the cluster's default
 * one), or, with none, the Auto Scaling groups whose user data joins the cluster
 * (`ECS_CLUSTER=<cluster>`). Unknown (not read as a caller): the default cluster, a cluster or
 * capacity provider outside the app, a Fargate service, no Auto Scaling group found.
 */
function ecsServiceOnInstances(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const td = resolve(g, r.properties.TaskDefinition, 'AWS::ECS::TaskDefinition');
  if (!td) return undefined;
  const mode = td.properties.NetworkMode === undefined ? 'bridge' : literal(td.properties.NetworkMode);
  if (mode !== 'bridge' && mode !== 'host') return undefined;
  if (literal(r.properties.LaunchType) === 'FARGATE') return undefined;
  const cluster = resolve(g, r.properties.Cluster, 'AWS::ECS::Cluster');
  if (!cluster) return undefined;
  const groups = clusterInstances(g, cluster, r.properties.CapacityProviderStrategy);
  if (groups.length === 0) return undefined;
  const placements = groups.map((a) => autoScalingGroup(a, g)).filter(isDefined);
  if (placements.length === 0) return undefined;
  const ips = new Set(placements.map((p) => p.publicIp));
  return {
    securityGroups: placements.flatMap((p) => p.securityGroups),
    subnets: placements.flatMap((p) => p.subnets),
    publicIp: ips.size === 1 ? [...ips][0] : 'unknown',
    ...runsTaskDefinition(td),
  };
}

/** The Auto Scaling groups of a cluster's container instances, as far as the app shows them. */
function clusterInstances(g: ResourceGraph, cluster: ResourceNode, strategy: Value | undefined): ResourceNode[] {
  const idx = ecsIndexOf(g);
  let providers = list(strategy).map((s) => at(s, 'CapacityProvider'));
  if (providers.length === 0) providers = idx.defaultProviders.get(cluster.key) ?? [];
  if (providers.length > 0) {
    const out: ResourceNode[] = [];
    for (const p of providers) {
      const cp =
        resolve(g, p, 'AWS::ECS::CapacityProvider') ?? (literal(p) ? idx.providerByName.get(literal(p)!) : undefined);
      const asg = cp && resolve(g, at(cp.properties, 'AutoScalingGroupProvider', 'AutoScalingGroupArn'), ASG);
      if (!asg) return []; // a provider (or its group) outside the app, or FARGATE: unknown
      if (!out.includes(asg)) out.push(asg);
    }
    return out;
  }
  let joined = idx.joining.get(cluster.key);
  if (!joined) {
    const name = literal(cluster.properties.ClusterName);
    joined = g.ofType(ASG).filter((a) => joinsCluster(g, a, cluster.key, name));
    idx.joining.set(cluster.key, joined);
  }
  return joined;
}

const ASG = 'AWS::AutoScaling::AutoScalingGroup';

/** Whether the user data of an Auto Scaling group's launch template or configuration sets `ECS_CLUSTER=` to the cluster. */
function joinsCluster(g: ResourceGraph, asg: ResourceNode, clusterKey: string, name: string | undefined): boolean {
  const { lt, lc } = launchSourceOf(g, asg);
  const userData = lt ? at(lt.properties, 'LaunchTemplateData', 'UserData') : lc?.properties.UserData;
  const parts = partsOf(userData) ?? [];
  return parts.some((part, i) => {
    if (typeof part !== 'string') return false;
    const mark = part.lastIndexOf('ECS_CLUSTER=');
    if (mark < 0) return false;
    const rest = part.slice(mark + 'ECS_CLUSTER='.length);
    if (rest === '') {
      const next = parts[i + 1];
      return next instanceof ResRef && next.key === clusterKey && next.attr === undefined;
    }
    return (
      name !== undefined &&
      (rest === name ||
        rest.startsWith(`${name}\n`) ||
        rest.startsWith(`${name} `) ||
        rest.startsWith(`${name}"`) ||
        rest.startsWith(`${name}'`))
    );
  });
}

interface EcsIndex {
  /** A cluster's default capacity provider strategy (`AWS::ECS::ClusterCapacityProviderAssociations`, or the cluster's own). */
  readonly defaultProviders: Map<string, Value[]>;
  readonly providerByName: Map<string, ResourceNode>;
  /** The Auto Scaling groups whose user data joins a cluster, by the cluster's key (filled when first asked). */
  readonly joining: Map<string, ResourceNode[]>;
}

const ecsIndexes = new WeakMap<ResourceGraph, EcsIndex>();

function ecsIndexOf(g: ResourceGraph): EcsIndex {
  let idx = ecsIndexes.get(g);
  if (!idx) {
    idx = { defaultProviders: new Map(), providerByName: new Map(), joining: new Map() };
    const clusterByName = new Map<string, string>();
    for (const c of g.ofType('AWS::ECS::Cluster')) {
      const own = list(c.properties.DefaultCapacityProviderStrategy).map((s) => at(s, 'CapacityProvider'));
      if (own.length > 0) idx.defaultProviders.set(c.key, own.filter(isDefined));
      const name = literal(c.properties.ClusterName);
      if (name !== undefined && !clusterByName.has(name)) clusterByName.set(name, c.key);
    }
    for (const a of g.ofType('AWS::ECS::ClusterCapacityProviderAssociations')) {
      const cluster = a.properties.Cluster;
      const name = literal(cluster);
      const key = cluster instanceof ResRef ? cluster.key : name !== undefined ? clusterByName.get(name) : undefined;
      const providers = list(a.properties.DefaultCapacityProviderStrategy).map((s) => at(s, 'CapacityProvider'));
      if (key && providers.length > 0) idx.defaultProviders.set(key, providers.filter(isDefined));
    }
    for (const cp of g.ofType('AWS::ECS::CapacityProvider')) {
      const name = literal(cp.properties.Name);
      if (name) idx.providerByName.set(name, cp);
    }
    ecsIndexes.set(g, idx);
  }
  return idx;
}

/**
 * A Batch job definition runs in the VPC of the compute environments of the app's job queues (a job
 * definition does not name its queue; a job may be submitted to any of them): one VPC when they all
 * agree, else unknown. Its container's environment and command may name a URL.
 */
function batchJobDefinition(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const container = r.properties.ContainerProperties;
  if (!isObject(container)) return undefined;
  const envs = batchEnvironmentsOfQueues(g);
  if (envs.length === 0) return undefined;
  const assign = literal(at(container, 'NetworkConfiguration', 'AssignPublicIp'));
  const fargate = list(r.properties.PlatformCapabilities).some((c) => literal(c) === 'FARGATE');
  return {
    securityGroups: envs.flatMap((e) => list(at(e.properties, 'ComputeResources', 'SecurityGroupIds'))),
    subnets: envs.flatMap((e) => list(at(e.properties, 'ComputeResources', 'Subnets'))),
    publicIp:
      assign === 'ENABLED' ? 'yes' : assign === 'DISABLED' || (assign === undefined && fargate) ? 'no' : 'unknown',
    config: [
      ...environmentList(r, container.Environment, 'Properties.ContainerProperties.Environment'),
      ...present(r, container.Command, 'Properties.ContainerProperties.Command'),
    ],
    roles: container.JobRoleArn !== undefined ? [container.JobRoleArn] : [],
  };
}

const batchIndex = new WeakMap<ResourceGraph, ResourceNode[]>();

/** The compute environments of the app's job queues (indexed once per graph). */
function batchEnvironmentsOfQueues(g: ResourceGraph): ResourceNode[] {
  let envs = batchIndex.get(g);
  if (!envs) {
    envs = [];
    for (const q of g.ofType('AWS::Batch::JobQueue')) {
      for (const o of list(q.properties.ComputeEnvironmentOrder)) {
        const e = resolve(g, at(o, 'ComputeEnvironment'), 'AWS::Batch::ComputeEnvironment');
        if (e && !envs.includes(e)) envs.push(e);
      }
    }
    batchIndex.set(g, envs);
  }
  return envs;
}

/** An App Runner service with VPC egress (`EgressType: VPC`) runs in its VPC connector's subnets. */
function appRunner(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const egress = at(r.properties, 'NetworkConfiguration', 'EgressConfiguration');
  if (literal(at(egress, 'EgressType')) !== 'VPC') return undefined;
  const connector = resolve(g, at(egress, 'VpcConnectorArn'), 'AWS::AppRunner::VpcConnector');
  if (!connector) return undefined;
  const image = 'Properties.SourceConfiguration.ImageRepository.ImageConfiguration';
  const code = 'Properties.SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues';
  const imageConfig = at(r.properties, 'SourceConfiguration', 'ImageRepository', 'ImageConfiguration');
  const codeConfig = at(
    r.properties,
    'SourceConfiguration',
    'CodeRepository',
    'CodeConfiguration',
    'CodeConfigurationValues',
  );
  const role = at(r.properties, 'InstanceConfiguration', 'InstanceRoleArn');
  return {
    securityGroups: list(connector.properties.SecurityGroups),
    subnets: list(connector.properties.Subnets),
    publicIp: 'never', // its VPC traffic leaves through network interfaces with private addresses only
    config: [
      ...environmentList(r, at(imageConfig, 'RuntimeEnvironmentVariables'), `${image}.RuntimeEnvironmentVariables`),
      ...present(r, at(imageConfig, 'StartCommand'), `${image}.StartCommand`),
      ...environmentList(r, at(codeConfig, 'RuntimeEnvironmentVariables'), `${code}.RuntimeEnvironmentVariables`),
      ...present(r, at(codeConfig, 'StartCommand'), `${code}.StartCommand`),
    ],
    roles: role !== undefined ? [role] : [],
  };
}

/** A Glue job with a connection runs in the connection's subnet (`PhysicalConnectionRequirements`). */
function glueJob(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const names = list(at(r.properties, 'Connections', 'Connections'));
  if (names.length === 0) return undefined;
  const byName = glueConnectionsOf(g);
  const securityGroups: Value[] = [];
  const subnets: Value[] = [];
  for (const n of names) {
    const c =
      resolve(g, n, 'AWS::Glue::Connection') ?? (literal(n) !== undefined ? byName.get(literal(n)!) : undefined);
    const req = c && at(c.properties, 'ConnectionInput', 'PhysicalConnectionRequirements');
    if (!req) continue; // a connection outside the app, or one with no network (it adds nothing here)
    securityGroups.push(...list(at(req, 'SecurityGroupIdList')));
    if (at(req, 'SubnetId') !== undefined) subnets.push(at(req, 'SubnetId')!);
  }
  return {
    securityGroups,
    subnets,
    publicIp: 'never', // Glue's network interfaces in a VPC have private addresses only
    config: [
      ...entries(r, r.properties.DefaultArguments, 'Properties.DefaultArguments'),
      ...entries(r, r.properties.NonOverridableArguments, 'Properties.NonOverridableArguments'),
    ],
    roles: r.properties.Role !== undefined ? [r.properties.Role] : [],
  };
}

const glueIndex = new WeakMap<ResourceGraph, Map<string, ResourceNode>>();

function glueConnectionsOf(g: ResourceGraph): Map<string, ResourceNode> {
  let m = glueIndex.get(g);
  if (!m) {
    m = new Map();
    for (const c of g.ofType('AWS::Glue::Connection')) {
      const name = literal(at(c.properties, 'ConnectionInput', 'Name'));
      if (name !== undefined && !m.has(name)) m.set(name, c);
    }
    glueIndex.set(g, m);
  }
  return m;
}

/** A SageMaker model with `VpcConfig`: its containers run in those subnets. */
function sageMakerModel(r: ResourceNode): Placement | undefined {
  const vpc = r.properties.VpcConfig;
  if (!isObject(vpc)) return undefined;
  return {
    securityGroups: list(vpc.SecurityGroupIds),
    subnets: list(vpc.Subnets),
    publicIp: 'never', // model containers in a VPC have private addresses only
    config: [
      ...entries(r, at(r.properties, 'PrimaryContainer', 'Environment'), 'Properties.PrimaryContainer.Environment'),
      ...list(r.properties.Containers).flatMap((c, i) =>
        entries(r, at(c, 'Environment'), `Properties.Containers.${i}.Environment`),
      ),
    ],
    roles: r.properties.ExecutionRoleArn !== undefined ? [r.properties.ExecutionRoleArn] : [],
  };
}

/** An EMR cluster in a subnet (`Instances.Ec2SubnetId` / `Ec2SubnetIds`): its steps and bootstrap actions may name a URL. */
function emrCluster(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const inst = r.properties.Instances;
  if (!isObject(inst)) return undefined;
  const subnets = [...list(inst.Ec2SubnetId), ...list(inst.Ec2SubnetIds)];
  if (subnets.length === 0) return undefined;
  const securityGroups = [
    ...list(inst.EmrManagedMasterSecurityGroup),
    ...list(inst.EmrManagedSlaveSecurityGroup),
    ...list(inst.AdditionalMasterSecurityGroups),
    ...list(inst.AdditionalSlaveSecurityGroups),
  ];
  const config: ConfigValue[] = [];
  list(r.properties.Steps).forEach((st, i) => {
    config.push(...present(r, at(st, 'HadoopJarStep', 'Args'), `Properties.Steps.${i}.HadoopJarStep.Args`));
  });
  list(r.properties.BootstrapActions).forEach((b, i) => {
    config.push(
      ...present(
        r,
        at(b, 'ScriptBootstrapAction', 'Args'),
        `Properties.BootstrapActions.${i}.ScriptBootstrapAction.Args`,
      ),
    );
  });
  list(r.properties.Configurations).forEach((c, i) => {
    config.push(
      ...entries(r, at(c, 'ConfigurationProperties'), `Properties.Configurations.${i}.ConfigurationProperties`),
    );
  });
  return {
    securityGroups,
    subnets,
    publicIp: 'subnet',
    config,
    roles: instanceProfileRoles(g, r.properties.JobFlowRole),
  };
}

/** An MWAA environment's workers run in its `NetworkConfiguration` subnets; its Airflow options may name a URL. */
function mwaa(r: ResourceNode): Placement | undefined {
  const net = r.properties.NetworkConfiguration;
  if (!isObject(net)) return undefined;
  return {
    securityGroups: list(net.SecurityGroupIds),
    subnets: list(net.SubnetIds),
    publicIp: 'never', // workers run in private subnets
    config: entries(r, r.properties.AirflowConfigurationOptions, 'Properties.AirflowConfigurationOptions'),
    roles: r.properties.ExecutionRoleArn !== undefined ? [r.properties.ExecutionRoleArn] : [],
  };
}

function ec2Instance(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const p = r.properties;
  const nics = list(p.NetworkInterfaces);
  const lt = launchTemplateOf(g, p.LaunchTemplate);
  const ltData = lt ? at(lt.properties, 'LaunchTemplateData') : undefined;
  const subnets = [
    ...(p.SubnetId !== undefined ? [p.SubnetId] : []),
    ...nics.map((n) => at(n, 'SubnetId')).filter(isDefined),
  ];
  const securityGroups = [
    ...list(p.SecurityGroupIds),
    ...nics.flatMap((n) => list(at(n, 'GroupSet'))),
    ...list(at(ltData, 'SecurityGroupIds')),
  ];
  const config: ConfigValue[] = [];
  if (p.UserData !== undefined) config.push({ location: 'Properties.UserData', holder: r, value: p.UserData });
  if (lt && at(ltData, 'UserData') !== undefined) {
    config.push({ location: 'Properties.LaunchTemplateData.UserData', holder: lt, value: at(ltData, 'UserData')! });
  }
  config.push(...cfnInit(r), ...(lt ? cfnInit(lt) : []));
  const associate =
    nics.length > 0
      ? bool(at(nics[0], 'AssociatePublicIpAddress'))
      : bool(at(ltData, 'NetworkInterfaces', 0, 'AssociatePublicIpAddress'));
  const hasEip = instancesWithElasticIp(g).has(r.key);
  return {
    securityGroups,
    subnets,
    publicIp:
      hasEip || associate === true
        ? 'yes'
        : associate === false
          ? 'no'
          : associate === 'unknown'
            ? 'unknown'
            : 'subnet',
    config,
    roles: instanceProfileRoles(
      g,
      p.IamInstanceProfile ?? at(ltData, 'IamInstanceProfile', 'Arn') ?? at(ltData, 'IamInstanceProfile', 'Name'),
    ),
    runs: lt ? [lt] : [],
    via: lt ? { [lt.key]: 'Properties.LaunchTemplate' } : {},
    rolesAt: p.IamInstanceProfile !== undefined || !lt ? 'Properties.IamInstanceProfile' : 'Properties.LaunchTemplate',
  };
}

function autoScalingGroup(r: ResourceNode, g: ResourceGraph): Placement | undefined {
  const p = r.properties;
  const subnets = list(p.VPCZoneIdentifier);
  if (subnets.length === 0) return undefined;
  const config: ConfigValue[] = [];
  let securityGroups: Value[] = [];
  let publicIp: PublicIp = 'subnet';
  let profile: Value | undefined;
  const { lt, lc } = launchSourceOf(g, r);
  if (lt) {
    const data = at(lt.properties, 'LaunchTemplateData');
    securityGroups = [...list(at(data, 'SecurityGroupIds')), ...list(at(data, 'NetworkInterfaces', 0, 'Groups'))];
    const ud = at(data, 'UserData');
    if (ud !== undefined) config.push({ location: 'Properties.LaunchTemplateData.UserData', holder: lt, value: ud });
    publicIp = fromAssociate(bool(at(data, 'NetworkInterfaces', 0, 'AssociatePublicIpAddress')));
    profile = at(data, 'IamInstanceProfile', 'Arn') ?? at(data, 'IamInstanceProfile', 'Name');
  } else if (lc) {
    securityGroups = list(lc.properties.SecurityGroups);
    if (lc.properties.UserData !== undefined) {
      config.push({ location: 'Properties.UserData', holder: lc, value: lc.properties.UserData });
    }
    publicIp = fromAssociate(bool(lc.properties.AssociatePublicIpAddress));
    profile = lc.properties.IamInstanceProfile;
  } else {
    publicIp = 'unknown';
  }
  const runs = lt ? [lt] : lc ? [lc] : [];
  const ltAt =
    p.LaunchTemplate !== undefined
      ? 'Properties.LaunchTemplate'
      : 'Properties.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification';
  const via: { [key: string]: string } = lt
    ? { [lt.key]: ltAt }
    : lc
      ? { [lc.key]: 'Properties.LaunchConfigurationName' }
      : {};
  const rolesAt = lt ? ltAt : lc ? 'Properties.LaunchConfigurationName' : undefined;
  for (const held of runs) config.push(...cfnInit(held));
  return { securityGroups, subnets, publicIp, config, roles: instanceProfileRoles(g, profile), runs, via, rolesAt };
}

function codeBuild(r: ResourceNode): Placement | undefined {
  const vpc = r.properties.VpcConfig;
  if (vpc !== undefined && !isObject(vpc)) return undefined; // a token or Fn::If: placement unknown
  const config: ConfigValue[] = [];
  list(at(r.properties, 'Environment', 'EnvironmentVariables')).forEach((e, i) => {
    const type = literal(at(e, 'Type')) ?? 'PLAINTEXT';
    const value = at(e, 'Value');
    const name = literal(at(e, 'Name'));
    // A variable baked into a browser bundle is called by the browser, not by the build.
    if (name !== undefined && isBrowserBundleName(name)) return;
    // The value of a PARAMETER_STORE / SECRETS_MANAGER variable is the parameter's or secret's name.
    if ((type === 'PLAINTEXT' || type === 'PARAMETER_STORE' || type === 'SECRETS_MANAGER') && value !== undefined) {
      // By index, as the template holds it: `EnvironmentVariables` is a list of { Name, Type, Value }.
      const location = `Properties.Environment.EnvironmentVariables.${i}.Value`;
      config.push({ location, holder: r, value, ...(name !== undefined ? { name } : {}) });
    }
  });
  const buildSpec = at(r.properties, 'Source', 'BuildSpec');
  if (buildSpec !== undefined) {
    config.push({ location: 'Properties.Source.BuildSpec', holder: r, value: withoutBrowserBundleValues(buildSpec) });
  }
  return {
    inVpc: vpc !== undefined,
    securityGroups: list(at(vpc, 'SecurityGroupIds')),
    subnets: list(at(vpc, 'Subnets')),
    vpcId: at(vpc, 'VpcId'),
    publicIp: 'never', // CodeBuild in a VPC never gets a public IP.
    config,
    roles: r.properties.ServiceRole !== undefined ? [r.properties.ServiceRole] : [],
    rolesAt: 'Properties.ServiceRole',
  };
}

function batch(r: ResourceNode): Placement | undefined {
  const cr = r.properties.ComputeResources;
  if (!isObject(cr)) return undefined;
  return {
    securityGroups: list(cr.SecurityGroupIds),
    subnets: list(cr.Subnets),
    publicIp: 'unknown',
    config: [],
    roles: [],
  };
}

function sageMaker(r: ResourceNode): Placement | undefined {
  const p = r.properties;
  if (p.SubnetId === undefined) return undefined;
  // With direct internet access (the default) traffic to the internet leaves through SageMaker's own network.
  const direct = literal(p.DirectInternetAccess) ?? 'Enabled';
  return {
    securityGroups: list(p.SecurityGroupIds),
    subnets: [p.SubnetId],
    publicIp: direct === 'Disabled' ? 'never' : 'unknown',
    config: [],
    roles: p.RoleArn !== undefined ? [p.RoleArn] : [],
    rolesAt: 'Properties.RoleArn',
  };
}

function eksNodegroup(r: ResourceNode): Placement | undefined {
  const subnets = list(r.properties.Subnets);
  if (subnets.length === 0) return undefined;
  return {
    securityGroups: [],
    subnets,
    publicIp: 'unknown',
    config: [],
    roles: r.properties.NodeRole !== undefined ? [r.properties.NodeRole] : [],
    rolesAt: 'Properties.NodeRole',
  };
}

/**
 * Prefixes of the environment variables that front-end build tools bake into a browser bundle
 * (Vite, Create React App, Next.js, Nuxt, Vue CLI, Gatsby, Expo).
 */
const BROWSER_BUNDLE_PREFIXES = [
  'VITE_',
  'REACT_APP_',
  'NEXT_PUBLIC_',
  'NUXT_PUBLIC_',
  'VUE_APP_',
  'GATSBY_',
  'EXPO_PUBLIC_',
];

/** Whether an environment variable's name marks configuration baked into a browser bundle. */
export function isBrowserBundleName(name: string): boolean {
  return BROWSER_BUNDLE_PREFIXES.some((p) => name.startsWith(p));
}

/** A browser-bundle variable being set in a buildspec: its name as a key (`VITE_URL:`, `"VITE_URL":`) or an assignment (`VITE_URL=`). */
const BROWSER_BUNDLE_KEY = new RegExp(
  `(["']?)\\b(?:${BROWSER_BUNDLE_PREFIXES.join('|')})[A-Za-z0-9_]*\\1[ \\t]*[:=][ \\t]*(["']?)`,
  'g',
);

/**
 * An inline buildspec without the values it gives browser-bundle variables (`env.variables` of the
 * buildspec, or `export VITE_URL=…` in a command): up to the closing quote of a quoted value, or the
 * end of the line (or `,` / `}` in JSON) of an unquoted one. What is cut out may span parts (a URL
 * built from the API's id).
 */
export function withoutBrowserBundleValues(v: Value): Value {
  const parts = partsOf(v);
  if (!parts) return v;
  const out: Part[] = [];
  let until: string | undefined; // the characters that end the value being cut out
  for (const p of parts) {
    if (typeof p !== 'string') {
      if (until === undefined) out.push(p);
      continue;
    }
    let text = p;
    let kept = '';
    for (;;) {
      if (until !== undefined) {
        const end = firstOf(text, until);
        if (end < 0) {
          text = '';
          break;
        }
        text = text.slice(end);
        until = undefined;
      }
      BROWSER_BUNDLE_KEY.lastIndex = 0;
      const m = BROWSER_BUNDLE_KEY.exec(text);
      if (!m) break;
      kept += text.slice(0, m.index + m[0].length);
      text = text.slice(m.index + m[0].length);
      until = m[2] ? m[2] : '\n,}';
    }
    out.push(kept + text);
  }
  return concat(out);
}

/** The index of the first character of `text` that is one of `chars`, or -1. */
function firstOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i])) return i;
  return -1;
}

function fromAssociate(b: boolean | 'unknown' | undefined): PublicIp {
  return b === true ? 'yes' : b === false ? 'no' : b === 'unknown' ? 'unknown' : 'subnet';
}

function entries(holder: ResourceNode, vars: Value | undefined, base: string): ConfigValue[] {
  if (!isObject(vars)) return [];
  return Object.keys(vars).map((k) => ({ location: `${base}.${k}`, holder, value: (vars as ValueObject)[k] }));
}

/** The value at a location, when there is one. */
function present(holder: ResourceNode, value: Value | undefined, location: string): ConfigValue[] {
  return value === undefined ? [] : [{ location, holder, value }];
}

function resolve(g: ResourceGraph, v: Value | undefined, type: string): ResourceNode | undefined {
  if (!(v instanceof ResRef)) return undefined;
  const r = g.get(v.key);
  return r?.type === type ? r : undefined;
}

/** The launch template (direct or of a mixed instances policy) or launch configuration an Auto Scaling group starts its instances from. */
function launchSourceOf(g: ResourceGraph, asg: ResourceNode): { lt?: ResourceNode; lc?: ResourceNode } {
  const p = asg.properties;
  return {
    lt: launchTemplateOf(
      g,
      p.LaunchTemplate ?? at(p.MixedInstancesPolicy, 'LaunchTemplate', 'LaunchTemplateSpecification'),
    ),
    lc: resolve(g, p.LaunchConfigurationName, 'AWS::AutoScaling::LaunchConfiguration'),
  };
}

function launchTemplateOf(g: ResourceGraph, spec: Value | undefined): ResourceNode | undefined {
  return resolve(g, at(spec, 'LaunchTemplateId') ?? at(spec, 'LaunchTemplateName'), 'AWS::EC2::LaunchTemplate');
}

function instanceProfileRoles(g: ResourceGraph, profile: Value | undefined): Value[] {
  const p = resolve(g, profile, 'AWS::IAM::InstanceProfile');
  return p ? list(p.properties.Roles) : [];
}

const eipIndex = new WeakMap<ResourceGraph, Set<string>>();

/** Keys of the instances that an Elastic IP is associated with (indexed once per graph). */
function instancesWithElasticIp(g: ResourceGraph): Set<string> {
  let set = eipIndex.get(g);
  if (!set) {
    set = new Set();
    for (const e of g.ofType('AWS::EC2::EIP', 'AWS::EC2::EIPAssociation')) {
      const id = e.properties.InstanceId;
      if (id instanceof ResRef) set.add(id.key);
    }
    eipIndex.set(g, set);
  }
  return set;
}

function isDefined<T>(x: T | undefined): x is T {
  return x !== undefined;
}
