import {
  CfnResource,
  Lazy,
  Names,
  Stack,
  Token,
  aws_apigateway as apigateway,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import type { IResolveContext } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkEndpointDns, endpointAliasTarget, requirePrivateApi, restApiL1, stageOfRestApi } from './common';
import { fail } from './errors';
import { HINTS_METADATA_KEY, HintsMetadata } from '../hints-metadata';

const PRIVATE_API_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html';

/**
 * The DNS name of an execute-api interface endpoint and the Route 53 hosted zone it lives in: what an alias
 * record to the endpoint needs, for an endpoint that is not defined in this app (imported by id, a hub's in
 * another app, an endpoint that a Route 53 Profile carries, another account's).
 *
 * Both values are the endpoint's first DNS entry (`aws ec2 describe-vpc-endpoints`, `DnsEntries[0]`; the
 * CloudFormation attribute `DnsEntries` holds it as `<hosted zone id>:<dns name>`): its regional name.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html#aws-resource-ec2-vpcendpoint-return-values
 */
export interface EndpointDns {
  /**
   * The endpoint's regional DNS name, e.g. `vpce-0a1b2c3d4e5f67890-abcdefgh.execute-api.eu-west-1.vpce.amazonaws.com`.
   */
  readonly dnsName: string;

  /**
   * The id of the Route 53 hosted zone of `dnsName` (the part before `:` of the DNS entry), e.g. `Z2ABCDEFGHIJKL`.
   */
  readonly hostedZoneId: string;
}

/**
 * Properties of a {@link PrivateApiAccess}.
 */
export interface PrivateApiAccessProps {
  /**
   * Whether the execute-api endpoint has private DNS on. A deliberate choice, so there is no default.
   *
   * - `true`: inside the VPC, every `*.execute-api.<region>.amazonaws.com` name resolves to the endpoint.
   *   Private APIs work on their default hostname, but every PUBLIC API called on its default hostname from
   *   this VPC then gets 403 (the endpoint only reaches private APIs). Publish those public APIs on a custom
   *   domain (`RegionalCustomDomain`) and call them there.
   * - `false`: public APIs keep working on their default hostnames; private APIs are called on the
   *   endpoint-specific hostname `{api-id}-{vpce-id}.execute-api.<region>.amazonaws.com`, which
   *   `allow()` returns (it associates the endpoint with the API so that name exists).
   *
   * When `endpoint` adopts an endpoint defined in this app, this must match its `privateDnsEnabled`.
   *
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html
   */
  readonly privateDnsEnabled: boolean;

  /**
   * The VPC to create the execute-api interface endpoint in.
   *
   * @default - none; required unless `endpoint` is given
   */
  readonly vpc?: ec2.IVpc;

  /**
   * An existing execute-api interface endpoint to use instead of creating one.
   *
   * @default - a new `ec2.InterfaceVpcEndpoint` for `InterfaceVpcEndpointAwsService.APIGATEWAY` in `vpc`
   */
  readonly endpoint?: ec2.IInterfaceVpcEndpoint;

  /**
   * The DNS name and hosted zone of `endpoint`, when it is not defined in this app (e.g.
   * `InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes`: a hub's endpoint made by another app or
   * account, or one that a Route 53 Profile carries). Only `addApiZone` needs it, for its alias record.
   *
   * @default - none: read from the endpoint (`DnsEntries`) when it is defined in this app; `addApiZone`
   *   fails for an imported endpoint without it
   */
  readonly endpointDns?: EndpointDns;

  /**
   * Where the new endpoint's network interfaces go. Ignored when `endpoint` is given.
   *
   * @default - the VPC's private subnets, one per Availability Zone (the `InterfaceVpcEndpoint` default)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Security groups of the new endpoint. Ignored when `endpoint` is given.
   *
   * @default - a new security group that allows HTTPS from the VPC's CIDR (the `InterfaceVpcEndpoint` default)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * Options of {@link PrivateApiAccess.allow}.
 */
export interface PrivateApiAllowOptions {
  /**
   * The stage that callers in this VPC call, and that the policy statement is limited to.
   *
   * @default - the statement covers every stage; the returned URL uses the API's `deploymentStage`
   */
  readonly stage?: apigateway.IStage;

  /**
   * Whether to associate the endpoint with the API (`EndpointConfiguration.VpcEndpointIds`).
   *
   * The association makes API Gateway publish the Route 53 alias
   * `{api-id}-{vpce-id}.execute-api.<region>.amazonaws.com` (public DNS, resolving to the endpoint's
   * private IPs), which is how a VPC with private DNS off reaches the API. It cannot be turned off while
   * private DNS is off, since the returned URL depends on it.
   *
   * @default - true when `privateDnsEnabled` is false, false when it is true
   */
  readonly associateEndpoint?: boolean;
}

/**
 * Options of {@link PrivateApiAccess.addApiZone}.
 */
export interface PrivateApiZoneOptions {
  /**
   * The VPCs whose callers reach the API through this endpoint: the zone is associated with each of them
   * (the spokes, and the hub's own VPC when its callers should use the default hostname too).
   */
  readonly vpcs: ec2.IVpc[];
}

/** Statements and endpoint ids that PrivateApiAccess instances add to one REST API (shared by all of them). */
interface RestApiPatch {
  readonly statements: iam.PolicyStatement[];
  readonly statementKeys: Set<string>;
  readonly endpointIds: string[];
  associationInstalled: boolean;
}

const PATCHES = new WeakMap<CfnResource, RestApiPatch>();

/**
 * Access from a VPC to private REST APIs, through an execute-api interface VPC endpoint.
 *
 * Creates (or adopts) the endpoint with an explicit private DNS choice, and `allow(api)` does the rest for
 * each private API: the resource-policy statement that lets the endpoint in, the endpoint association when
 * the endpoint-specific hostname needs it, and the URL that callers in this VPC must use.
 *
 * Creates: an `AWS::EC2::VPCEndpoint` (Interface, `com.amazonaws.<region>.execute-api`) and its security
 * group, unless `endpoint` is given. Changes, per allowed API: its `Policy` and, when associating, its
 * `EndpointConfiguration.VpcEndpointIds`.
 *
 * @example
 * const access = new PrivateApiAccess(this, 'Access', { vpc, privateDnsEnabled: false });
 * fn.addEnvironment('INTERNAL_URL', access.allow(internalApi));
 */
export class PrivateApiAccess extends Construct {
  /**
   * The execute-api interface endpoint.
   */
  public readonly endpoint: ec2.IInterfaceVpcEndpoint;

  /**
   * Whether the endpoint has private DNS on (as declared in the props).
   */
  public readonly privateDnsEnabled: boolean;

  private readonly endpointDns?: EndpointDns;
  private readonly apiZones = new Map<string, route53.PrivateHostedZone>();

  constructor(scope: Construct, id: string, props: PrivateApiAccessProps) {
    super(scope, id);
    this.privateDnsEnabled = props.privateDnsEnabled;

    if (props.endpointDns && !props.endpoint) {
      fail(this, {
        code: 'EndpointDnsWithoutEndpoint',
        message:
          '`endpointDns` was given without `endpoint`, but the endpoint this construct creates has DNS names of its own.',
        fix: 'Pass the imported endpoint as `endpoint` together with its `endpointDns`, or drop `endpointDns`.',
      });
    }
    if (props.endpoint) {
      this.endpoint = props.endpoint;
      this.checkAdoptedEndpoint(props.endpoint, props.privateDnsEnabled);
      checkEndpointDns(this, props.endpoint, props.endpointDns);
      this.endpointDns = props.endpointDns;
    } else if (props.vpc) {
      this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Resource', {
        vpc: props.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
        // Always written out: CDK's InterfaceVpcEndpoint turns private DNS on when left unset.
        privateDnsEnabled: props.privateDnsEnabled,
        subnets: props.subnets,
        securityGroups: props.securityGroups,
      });
    } else {
      fail(this, {
        code: 'VpcOrEndpointRequired',
        message: 'neither `vpc` nor `endpoint` was given, so there is no endpoint to reach private APIs through.',
        fix: 'Pass `vpc` to create the execute-api endpoint there, or `endpoint` to use an existing one.',
      });
    }
  }

  /**
   * Lets callers in this VPC invoke a private REST API, and returns the URL they must call.
   *
   * 1. Adds to the API's resource policy a statement allowing `execute-api:Invoke` to any principal when
   *    the request comes through this endpoint (`StringEquals` on `aws:SourceVpce`), for the given stage or
   *    all stages. The statement is merged into the policy of the L1 `AWS::ApiGateway::RestApi`, next to
   *    whatever the API's own `policy` / `addToResourcePolicy` holds.
   * 2. Associates the endpoint with the API when `associateEndpoint` says so (by default: when private
   *    DNS is off).
   * 3. Returns `https://{api-id}-{vpce-id}.execute-api.{region}.{urlSuffix}/{stage}/` when private DNS is
   *    off, or the API's default URL `https://{api-id}.execute-api.{region}.{urlSuffix}/{stage}/` when it is on.
   *
   * How this relates to `RestApi.grantInvokeFromVpcEndpointsOnly([endpoint])`: that CDK method writes an
   * Allow for everyone plus a Deny unless `aws:SourceVpce` is one of the listed endpoints, in one call for
   * all endpoints; calling it again for another endpoint adds a second Deny that locks out the first. `allow`
   * only adds an Allow conditioned on this endpoint, so several `PrivateApiAccess` (one per VPC) can each
   * allow the same API; a private API denies every request that no statement allows. If the API already
   * uses `grantInvokeFromVpcEndpointsOnly`, list this endpoint there too, or its Deny wins.
   *
   * @param api a private REST API defined in this app (`RestApi` or `SpecRestApi`)
   * @param options the stage and the endpoint association
   * @returns the URL that callers in this VPC must use (ends with `/`)
   */
  public allow(api: apigateway.IRestApi, options: PrivateApiAllowOptions = {}): string {
    const cfn = restApiL1(api);
    if (!cfn) {
      fail(this, {
        code: 'ImportedApiCannotTakePolicy',
        message: `API '${api.node.path}' is imported, so this app cannot change its resource policy or its endpoint association.`,
        fix:
          `In the app that defines the API, allow this endpoint there (PrivateApiAccess.allow with \`endpoint\` adopted, or ` +
          "a policy statement allowing execute-api:Invoke with `aws:SourceVpce` = this endpoint's id, plus the endpoint " +
          'association when private DNS is off); here, use `urlFor(api)` for the URL.',
        see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html',
      });
    }
    requirePrivateApi(this, api, 'PrivateApiAccess.allow');

    const associate = options.associateEndpoint ?? !this.privateDnsEnabled;
    if (!associate && !this.privateDnsEnabled) {
      fail(this, {
        code: 'EndpointAssociationRequired',
        message: `associateEndpoint is false while private DNS is off, so API '${api.node.path}' would have no hostname that reaches it from this VPC.`,
        fix: 'Leave `associateEndpoint` unset (or true), or create the access with `privateDnsEnabled: true`.',
        see: PRIVATE_API_DOC,
      });
    }

    const stage = stageOfRestApi(this, api, options.stage);
    const patch = this.patchOf(cfn);

    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
    // ("Allow private API traffic based on source VPC or VPC endpoint").
    const resource = options.stage ? `execute-api:/${this.literalStageName(options.stage)}/*` : 'execute-api:/*';
    const key = `${this.node.path}|${resource}`;
    if (!patch.statementKeys.has(key)) {
      patch.statementKeys.add(key);
      patch.statements.push(
        new iam.PolicyStatement({
          effect: iam.Effect.ALLOW,
          principals: [new iam.StarPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: [resource],
          conditions: { StringEquals: { 'aws:SourceVpce': this.endpoint.vpcEndpointId } },
        }),
      );
    }

    if (associate) {
      this.associate(cfn, patch);
    }
    return this.urlOf(api, stage.stageName);
  }

  /**
   * Makes a private REST API's default hostname resolve to this endpoint in other VPCs: the hub-and-spoke
   * pattern, where spoke VPCs with no execute-api endpoint of their own reach private APIs through a shared
   * (hub) endpoint whose private DNS is off.
   *
   * Creates a private hosted zone named `{api-id}.execute-api.{region}.{urlSuffix}`, associated with `vpcs`,
   * holding an A alias record of that name to the endpoint's regional DNS name. Callers in those VPCs then
   * call the API on its default URL (`RestApi.url`). The zone covers that one API only, so every other name
   * (public APIs' default hostnames among them) keeps resolving through public DNS there. Calling it again
   * for the same API associates the same zone with more VPCs.
   *
   * The API must still let this endpoint in: `allow(api)` (or, for an API of another app, its own policy).
   * For an endpoint that is not defined in this app, pass `endpointDns` in the props.
   *
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html
   *
   * @param api a private REST API (defined in this app or imported by id)
   * @param options the VPCs to associate the zone with
   * @returns the private hosted zone
   */
  public addApiZone(api: apigateway.IRestApi, options: PrivateApiZoneOptions): route53.IPrivateHostedZone {
    requirePrivateApi(this, api, 'PrivateApiAccess.addApiZone');
    if (options.vpcs.length === 0) {
      fail(this, {
        code: 'ApiZoneWithoutVpc',
        message: `addApiZone was given no VPC for API '${api.node.path}', so no caller would resolve its hostname through the zone.`,
        fix: 'Pass the VPCs (the spokes) whose callers reach the API through this endpoint in `vpcs`.',
      });
    }
    const key = api.node.path;
    let zone = this.apiZones.get(key);
    const vpcs = [...options.vpcs];
    if (!zone) {
      const stack = Stack.of(this);
      const zoneName = `${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
      const suffix = Names.nodeUniqueId(api.node);
      zone = new route53.PrivateHostedZone(this, `ApiZone${suffix}`, { zoneName, vpc: vpcs.shift()! });
      new route53.ARecord(this, `ApiAlias${suffix}`, {
        zone,
        // The zone's apex: the API's default hostname itself.
        target: route53.RecordTarget.fromAlias(endpointAliasTarget(this, this.endpoint, this.endpointDns)),
      });
      this.apiZones.set(key, zone);
      this.recordPrivateApi(api);
    }
    for (const vpc of vpcs) {
      zone.addVpc(vpc);
    }
    return zone;
  }

  /**
   * The URL that callers in this VPC must use for a private REST API, without changing the API.
   *
   * For APIs defined elsewhere (imported): their resource policy must already allow this endpoint and,
   * with private DNS off, the endpoint must be associated with the API. For such an API with a literal id,
   * the endpoint records the id as a private API (`cdk-api-reachability` metadata, `privateApis`), so that
   * this library's checks do not report the URL as a call to an API of unknown type behind private DNS.
   *
   * @param api the private REST API
   * @param stageName the stage to call; when omitted, the name of the API's `deploymentStage`
   */
  public urlFor(api: apigateway.IRestApi, stageName?: string): string {
    return this.urlOf(api, stageName ?? stageOfRestApi(this, api, undefined).stageName);
  }

  private urlOf(api: apigateway.IRestApi, stageName: string): string {
    this.recordPrivateApi(api);
    const stack = Stack.of(api);
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html
    // (endpoint-specific public DNS hostname `{rest-api-id}-{vpce-id}.execute-api.{region}.amazonaws.com`).
    const host = this.privateDnsEnabled ? api.restApiId : `${api.restApiId}-${this.endpoint.vpcEndpointId}`;
    return `https://${host}.execute-api.${stack.region}.${stack.urlSuffix}/${stageName}/`;
  }

  /**
   * Records on the endpoint's resource that the API, when it is not defined in this app (an imported
   * id), is a private API reached through it, so that this library's checks do not take the URL handed
   * out for an API of unknown type (`privateApis`, see hints-metadata.ts). Nothing is recorded for an
   * API of the app (the checks read it), an id that is a token (a reference would tie the stacks
   * together), or an endpoint that is not a resource of this app (the checks do not see it).
   */
  private recordPrivateApi(api: apigateway.IRestApi): void {
    const id = api.restApiId;
    if (Token.isUnresolved(id) || restApiL1(api)) {
      return;
    }
    const cfn = this.endpoint.node.defaultChild;
    if (!cfn || !CfnResource.isCfnResource(cfn) || cfn.cfnResourceType !== 'AWS::EC2::VPCEndpoint') {
      return;
    }
    const current = (cfn.getMetadata(HINTS_METADATA_KEY) ?? {}) as HintsMetadata;
    const privateApis = [...new Set([...(current.privateApis ?? []), id])];
    cfn.addMetadata(HINTS_METADATA_KEY, { ...current, privateApis });
  }

  /** The shared patch of one REST API's L1; installs the lazy policy merge on first use. */
  private patchOf(cfn: apigateway.CfnRestApi): RestApiPatch {
    const existing = PATCHES.get(cfn);
    if (existing) {
      return existing;
    }
    const original: unknown = cfn.policy;
    const resolved: unknown = Stack.of(cfn).resolve(original);
    if (isIntrinsic(resolved)) {
      fail(this, {
        code: 'ApiPolicyNotMergeable',
        message: `the resource policy of API '${cfn.node.path}' is a CloudFormation expression, which cannot be extended at synth time.`,
        fix: "Give the API its policy as an iam.PolicyDocument (RestApi's `policy`), or add the statement allowing this endpoint yourself.",
      });
    }
    const patch: RestApiPatch = {
      statements: [],
      statementKeys: new Set(),
      endpointIds: [],
      associationInstalled: false,
    };
    cfn.policy = Lazy.uncachedAny({
      produce: (context: IResolveContext) =>
        mergePolicy(
          context.resolve(original),
          patch.statements.map((s) => context.resolve(s.toStatementJson())),
        ),
    });
    PATCHES.set(cfn, patch);
    return patch;
  }

  private associate(cfn: apigateway.CfnRestApi, patch: RestApiPatch): void {
    if (!patch.endpointIds.includes(this.endpoint.vpcEndpointId)) {
      patch.endpointIds.push(this.endpoint.vpcEndpointId);
    }
    if (patch.associationInstalled) {
      return;
    }
    patch.associationInstalled = true;
    // An override read at synth time: keeps the ids the API was created with (RestApi's
    // `endpointConfiguration.vpcEndpoints`) and adds ours, whatever the order of the calls.
    cfn.addPropertyOverride(
      'EndpointConfiguration.VpcEndpointIds',
      Lazy.uncachedAny({
        produce: (context: IResolveContext) => {
          const configuration = context.resolve(cfn.endpointConfiguration) as { vpcEndpointIds?: unknown } | undefined;
          const own = Array.isArray(configuration?.vpcEndpointIds) ? configuration.vpcEndpointIds : [];
          const all: unknown[] = [];
          const seen = new Set<string>();
          for (const id of [...own, ...patch.endpointIds.map((e) => context.resolve(e))]) {
            const k = JSON.stringify(id);
            if (!seen.has(k)) {
              seen.add(k);
              all.push(id);
            }
          }
          return all;
        },
      }),
    );
  }

  /**
   * The stage name as a literal, for the API's own policy: a `Ref` to the stage there would make the API
   * depend on its stage, which depends on the API (a cycle CloudFormation rejects).
   */
  private literalStageName(stage: apigateway.IStage): string {
    const cfn = stage.node.defaultChild;
    if (cfn && CfnResource.isCfnResource(cfn) && apigateway.CfnStage.isCfnStage(cfn)) {
      const name: unknown = Stack.of(cfn).resolve(cfn.stageName);
      if (typeof name === 'string') {
        return name;
      }
    }
    if (!Token.isUnresolved(stage.stageName)) {
      return stage.stageName;
    }
    return fail(this, {
      code: 'StageNameUnknown',
      message: `the name of stage '${stage.node.path}' is not known at synth time, so the policy statement cannot be limited to it.`,
      fix: 'Give the stage a literal `stageName`, or leave `stage` unset to allow every stage.',
    });
  }

  private checkAdoptedEndpoint(endpoint: ec2.IInterfaceVpcEndpoint, privateDnsEnabled: boolean): void {
    const cfn = endpoint.node.defaultChild;
    if (!(cfn && CfnResource.isCfnResource(cfn) && ec2.CfnVPCEndpoint.isCfnVPCEndpoint(cfn))) {
      return;
    }
    const actual: unknown = Stack.of(cfn).resolve(cfn.privateDnsEnabled);
    // CloudFormation's default for PrivateDnsEnabled is false.
    // See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html
    const effective = actual === undefined ? false : actual;
    if (typeof effective === 'boolean' && effective !== privateDnsEnabled) {
      fail(this, {
        code: 'PrivateDnsMismatch',
        message: `privateDnsEnabled is ${privateDnsEnabled}, but endpoint '${endpoint.node.path}' has private DNS ${effective ? 'on' : 'off'}.`,
        fix: `Set privateDnsEnabled: ${effective} here (or change the endpoint), so the URLs returned by allow() work.`,
      });
    }
    const service: unknown = Stack.of(cfn).resolve(cfn.serviceName);
    if (typeof service === 'string' && !Token.isUnresolved(service) && !service.endsWith('.execute-api')) {
      fail(this, {
        code: 'NotAnExecuteApiEndpoint',
        message: `endpoint '${endpoint.node.path}' is for service '${service}', not execute-api.`,
        fix: 'Adopt an endpoint created with `ec2.InterfaceVpcEndpointAwsService.APIGATEWAY`, or pass `vpc` instead.',
      });
    }
  }
}

function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** Appends statements to a resolved policy document (object, JSON string, or nothing). */
function mergePolicy(original: unknown, added: unknown[]): unknown {
  let document: unknown = original;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      document = undefined;
    }
  }
  if (document === undefined || document === null || typeof document !== 'object' || Array.isArray(document)) {
    return { Version: '2012-10-17', Statement: added };
  }
  const doc = document as { Version?: unknown; Statement?: unknown };
  const existing = doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return { ...doc, Version: doc.Version ?? '2012-10-17', Statement: [...existing, ...added] };
}
