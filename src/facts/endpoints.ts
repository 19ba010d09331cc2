/**
 * execute-api interface VPC endpoints, by VPC.
 *
 * Reads: AWS::EC2::VPCEndpoint with `VpcEndpointType: Interface` and `ServiceName`
 * `com.amazonaws.<region>.execute-api` (a literal, or a `Fn::Join` / `Fn::Sub` with `AWS::Region`).
 * Private DNS on = `PrivateDnsEnabled` true. CloudFormation's default is false; CDK's
 * `InterfaceVpcEndpoint` writes true unless told otherwise (`privateDnsEnabled` @default true in
 * aws-ec2 vpc-endpoint.d.ts) — that default is how most apps fall into the trap.
 * See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html
 * Unknown: a parameter, `Fn::If` or other unresolvable value in `PrivateDnsEnabled`, `ServiceName`
 * or `VpcEndpointType` (the endpoint is then not listed, or its private DNS is 'unknown').
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
    out.push({
      resource: r,
      vpc: vpcs.vpcOf(graph.prop(r, 'VpcId')),
      region: service.region ?? r.stack.region,
      regionUncertain: service.regionUncertain,
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

/** The execute-api endpoints of the app by VPC, and the questions rules ask about them. */
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

  /**
   * The execute-api endpoint with private DNS on that resolves `*.execute-api.<region>` names inside
   * this VPC; 'unknown' when an endpoint there might (private DNS unknown, or the endpoint is conditional).
   */
  public shadowing(vpc: VpcRef, region: string | undefined): ExecuteApiEndpoint | 'unknown' | undefined {
    const here = this.of(vpc, region);
    const on = here.find((e) => e.privateDns === true && !e.resource.conditional && !e.regionUncertain);
    if (on) return on;
    return here.some((e) => e.privateDns !== false) ? 'unknown' : undefined;
  }
}
