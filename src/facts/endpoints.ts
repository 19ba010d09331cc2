/**
 * execute-api interface VPC endpoints, by VPC.
 *
 * Reads: AWS::EC2::VPCEndpoint with `VpcEndpointType: Interface` and `ServiceName`
 * `com.amazonaws.<region>.execute-api` (a literal, or a `Fn::Join` / `Fn::Sub` with `AWS::Region`).
 * The region it serves is `ServiceRegion` when set (a cross-region endpoint), else the region in
 * `ServiceName`. Private DNS on = `PrivateDnsEnabled` true. CloudFormation's default is false; CDK's
 * `InterfaceVpcEndpoint` writes true unless told otherwise (`privateDnsEnabled` @default true in
 * aws-ec2 vpc-endpoint.d.ts) — that default is how most apps fall into the trap.
 * See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html
 * Unknown: a parameter, `Fn::If` or other unresolvable value in `PrivateDnsEnabled`, `ServiceName`
 * or `VpcEndpointType` (the endpoint is then not listed, or its private DNS is 'unknown'); a
 * `ServiceRegion` that is not literal (the region it serves is uncertain).
 * Where a name resolves is not decided here but in resolution.ts, which also reads Route 53 Profiles,
 * private hosted zones and Resolver rules.
 */
import { hintStrings } from './hints';
import { Policy, parsePolicy } from './policies';
import { VpcIndex, VpcRef } from './vpcs';
import { ResourceNode, ResourceGraph } from '../graph/resource-graph';
import { Opaque, bool, literal, partsOf } from '../graph/values';

/** An execute-api interface endpoint. */
export interface ExecuteApiEndpoint {
  readonly resource: ResourceNode;
  readonly vpc?: VpcRef;
  /** The region it serves; undefined when it is the region of an environment-agnostic stack (`AWS::Region`). */
  readonly region?: string;
  /**
   * True when the region part of `ServiceName` is a value the app cannot know (a parameter, an
   * import): the endpoint may serve any region, or none that matters.
   */
  readonly regionUncertain: boolean;
  /** Private DNS: on, off, or unknown. */
  readonly privateDns: boolean | 'unknown';
  /** The endpoint's own policy (`PolicyDocument`); undefined = none (full access). */
  readonly policy?: Policy;
  /**
   * Ids (lower case) of private APIs outside the app that this endpoint is used to reach, as
   * `PrivateApiAccess` records them in its metadata (`privateApis`).
   */
  readonly privateApis: string[];
}

/** Reads the execute-api endpoints of the app. */
export function readExecuteApiEndpoints(graph: ResourceGraph, vpcs: VpcIndex): ExecuteApiEndpoint[] {
  const out: ExecuteApiEndpoint[] = [];
  for (const r of graph.ofType('AWS::EC2::VPCEndpoint')) {
    if (literal(graph.prop(r, 'VpcEndpointType')) !== 'Interface') continue;
    const service = serviceOf(graph.prop(r, 'ServiceName'));
    if (!service || service.name !== 'execute-api') continue;
    // A cross-region endpoint names the region it serves in `ServiceRegion`.
    // See: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html#cfn-ec2-vpcendpoint-serviceregion
    const serviceRegion = graph.prop(r, 'ServiceRegion');
    const pinned = serviceRegion === undefined ? undefined : literal(serviceRegion);
    const regionOfStack =
      serviceRegion instanceof Opaque && serviceRegion.kind === 'pseudo' && serviceRegion.id === 'AWS::Region';
    out.push({
      resource: r,
      vpc: vpcs.vpcOf(graph.prop(r, 'VpcId')),
      region: pinned ?? (regionOfStack ? undefined : (service.region ?? r.stack.region)),
      regionUncertain: serviceRegion === undefined ? service.regionUncertain : pinned === undefined && !regionOfStack,
      privateDns: bool(graph.prop(r, 'PrivateDnsEnabled')) ?? false,
      policy: parsePolicy(graph.prop(r, 'PolicyDocument')),
      privateApis: hintStrings(r, 'privateApis').map((id) => id.toLowerCase()),
    });
  }
  return out;
}

/**
 * The AWS service an endpoint's `ServiceName` names: `com.amazonaws.<region>.<service>`, with the
 * region literal or unknown (a pseudo parameter of an environment-agnostic stack).
 */
function serviceOf(
  v: Parameters<typeof partsOf>[0],
): { name: string; region?: string; regionUncertain: boolean } | undefined {
  const parts = partsOf(v);
  if (!parts) return undefined;
  // Unknown parts become a placeholder that can only stand where the region stands: \u0000 for the
  // stack's own region (AWS::Region), \u0001 for anything else (a parameter, an import).
  const text = parts
    .map((p) =>
      typeof p === 'string'
        ? p
        : p instanceof Opaque && p.kind === 'pseudo' && p.id === 'AWS::Region'
          ? '\u0000'
          : '\u0001',
    )
    .join('');
  const m = /^com\.amazonaws\.([a-z0-9-]+|\u0000|\u0001)\.([a-z0-9.-]+)$/.exec(text);
  if (!m) return undefined;
  const placeholder = m[1] === '\u0000' || m[1] === '\u0001';
  return { name: m[2], region: placeholder ? undefined : m[1], regionUncertain: m[1] === '\u0001' };
}

/**
 * The execute-api endpoints of the app by VPC. Whether one of them answers a name is the resolution
 * fact's question (resolution.ts), not this index's.
 */
export class EndpointIndex {
  private readonly byVpc = new Map<string, ExecuteApiEndpoint[]>();

  constructor(public readonly all: ExecuteApiEndpoint[]) {
    for (const e of all) {
      if (!e.vpc) continue;
      const list = this.byVpc.get(e.vpc.id);
      if (list) list.push(e);
      else this.byVpc.set(e.vpc.id, [e]);
    }
  }

  /** The execute-api endpoints of a VPC that serve a region; an unknown region (environment-agnostic) matches any. */
  public of(vpc: VpcRef, region: string | undefined): ExecuteApiEndpoint[] {
    return (this.byVpc.get(vpc.id) ?? []).filter(
      (e) => e.region === undefined || region === undefined || e.region === region,
    );
  }
}
