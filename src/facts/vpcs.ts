/**
 * VPC identity of subnets, security groups and anything placed by them.
 *
 * Reads: AWS::EC2::VPC, AWS::EC2::Subnet (VpcId), AWS::EC2::SecurityGroup (VpcId), and the
 * (VpcId, SubnetIds) pairs of AWS::EC2::VPCEndpoint, which tie imported subnet ids to their VPC.
 * A VPC is an `AWS::EC2::VPC` resource, or an imported id: a literal `vpc-…`, an export name, a
 * parameter. Two mentions of the same literal / export / parameter are the same VPC.
 * Unknown: any other value (a `Fn::If`, a `Fn::Select` of an unknown list, …).
 */
import { displayName, ResourceGraph } from '../graph/resource-graph';
import { Opaque, ResRef, Value, describe, list } from '../graph/values';

/** A VPC as the facts know it. */
export interface VpcRef {
  /** Identity: equal ids are the same VPC. */
  readonly id: string;
  /** How messages name it (construct path, or the imported id). */
  readonly name: string;
  /** True for an `AWS::EC2::VPC` of the app, which shows all its endpoints; false for an imported id. */
  readonly inApp: boolean;
  /** The `vpc-…` id, when the app names it literally. */
  readonly literalId?: string;
}

/** The identity of anything named by a value: a resource, a literal or an unknown value. */
function identityOf(v: Value | undefined): string | undefined {
  if (v instanceof ResRef) return `res:${v.key}`;
  if (typeof v === 'string' && v !== '') return `lit:${v}`;
  if (v instanceof Opaque && (v.kind === 'param' || v.kind === 'import' || v.kind === 'stack-output')) {
    return `${v.kind}:${v.id}`;
  }
  return undefined;
}

/** Indexes VPC membership of subnets and security groups. */
export class VpcIndex {
  private readonly subnetVpc = new Map<string, VpcRef>();
  private readonly sgVpc = new Map<string, VpcRef>();

  constructor(private readonly graph: ResourceGraph) {
    for (const s of graph.ofType('AWS::EC2::Subnet')) {
      const vpc = this.vpcOf(graph.prop(s, 'VpcId'));
      if (vpc) this.subnetVpc.set(`res:${s.key}`, vpc);
    }
    for (const sg of graph.ofType('AWS::EC2::SecurityGroup')) {
      const vpc = this.vpcOf(graph.prop(sg, 'VpcId'));
      if (vpc) this.sgVpc.set(`res:${sg.key}`, vpc);
    }
    // An endpoint names its VPC and its subnets: that ties imported (literal) subnet ids to a VPC.
    for (const ep of graph.ofType('AWS::EC2::VPCEndpoint')) {
      const vpc = this.vpcOf(graph.prop(ep, 'VpcId'));
      if (!vpc) continue;
      for (const subnet of list(graph.prop(ep, 'SubnetIds'))) {
        const id = identityOf(subnetRef(subnet));
        if (id && !this.subnetVpc.has(id)) this.subnetVpc.set(id, vpc);
      }
    }
  }

  /** The VPC a `VpcId` value names. */
  public vpcOf(v: Value | undefined): VpcRef | undefined {
    if (v instanceof ResRef) {
      const r = this.graph.get(v.key);
      if (r?.type === 'AWS::EC2::VPC' && (v.attr === undefined || v.attr === 'VpcId')) {
        return { id: `res:${r.key}`, name: displayName(r), inApp: true };
      }
      return undefined;
    }
    const id = identityOf(v);
    return id ? { id, name: describe(v), inApp: false, literalId: typeof v === 'string' ? v : undefined } : undefined;
  }

  /** The VPC of a subnet value (a resource or an imported id tied to a VPC elsewhere in the app). */
  public vpcOfSubnet(v: Value): VpcRef | undefined {
    const id = identityOf(subnetRef(v));
    return id ? this.subnetVpc.get(id) : undefined;
  }

  /** The VPC of a security-group value. */
  public vpcOfSecurityGroup(v: Value): VpcRef | undefined {
    const ref = v instanceof ResRef ? new ResRef(v.key) : v; // GroupId attribute or Ref: same group
    const id = identityOf(ref);
    return id ? this.sgVpc.get(id) : undefined;
  }

  /**
   * The one VPC that these security groups and subnets place a resource in; undefined when none
   * is known or when they disagree.
   */
  public placementVpc(securityGroups: Value[], subnets: Value[], explicitVpc?: Value): VpcRef | undefined {
    const found = new Map<string, VpcRef>();
    const add = (v: VpcRef | undefined) => v && found.set(v.id, v);
    if (explicitVpc !== undefined) add(this.vpcOf(explicitVpc));
    securityGroups.forEach((sg) => add(this.vpcOfSecurityGroup(sg)));
    subnets.forEach((s) => add(this.vpcOfSubnet(s)));
    return found.size === 1 ? [...found.values()][0] : undefined;
  }
}

/** A subnet value as an identity: `Ref` and `Fn::GetAtt Subnet.SubnetId` are the same subnet. */
function subnetRef(v: Value): Value {
  return v instanceof ResRef ? new ResRef(v.key) : v;
}
