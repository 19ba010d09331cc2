/**
 * Internet egress of subnets.
 *
 * Reads: AWS::EC2::SubnetRouteTableAssociation, AWS::EC2::Route, AWS::EC2::InternetGateway,
 * AWS::EC2::Subnet (MapPublicIpOnLaunch).
 * A subnet's default route (`0.0.0.0/0`) to a NAT gateway is egress (not to a private NAT gateway,
 * `ConnectivityType: private`, which reaches other networks only); to an internet gateway it is
 * egress only for resources with a public IP; to anything else (transit gateway, peering, network
 * interface, firewall endpoint, virtual private gateway) it is unknown. No default route at all
 * is no egress — unless the table has an IPv6-only default route (`::/0`), which is unknown.
 * Unknown: subnets that are not resources of the app, subnets with no route table association in
 * the app (they use the VPC's main route table, which the template does not show), route tables
 * that are not resources of the app.
 */
import type { Caller } from './callers';
import { displayName, ResourceGraph } from '../graph/resource-graph';
import { Opaque, ResRef, Value, bool, describe, literal } from '../graph/values';

/** Whether a caller can reach the internet: yes, no, or unknown. */
export type Egress = 'yes' | 'no' | 'unknown';

/** Where a subnet's default route goes. */
export type SubnetEgress = 'nat' | 'igw' | 'none' | 'unknown';

/** Indexes the default route of every subnet of the app. */
export class EgressIndex {
  private readonly tableOfSubnet = new Map<string, string | 'unknown'>();
  private readonly routeOfTable = new Map<string, SubnetEgress>();

  constructor(private readonly graph: ResourceGraph) {
    for (const a of graph.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const subnet = graph.prop(a, 'SubnetId');
      const table = graph.prop(a, 'RouteTableId');
      if (!(subnet instanceof ResRef)) continue;
      const previous = this.tableOfSubnet.get(subnet.key);
      const next = table instanceof ResRef && !a.conditional ? table.key : 'unknown';
      this.tableOfSubnet.set(subnet.key, previous !== undefined && previous !== next ? 'unknown' : next);
    }
    const ipv6Only = new Set<string>();
    for (const r of graph.ofType('AWS::EC2::Route')) {
      const table = graph.prop(r, 'RouteTableId');
      if (!(table instanceof ResRef)) continue;
      const v4 = graph.prop(r, 'DestinationCidrBlock');
      if (v4 === undefined) {
        if (graph.prop(r, 'DestinationIpv6CidrBlock') === '::/0') ipv6Only.add(table.key);
        continue;
      }
      const target: SubnetEgress = r.conditional
        ? 'unknown'
        : literal(v4) === '0.0.0.0/0'
          ? this.targetOf(r.properties)
          : v4 instanceof Opaque
            ? 'unknown'
            : 'none';
      if (target === 'none') continue;
      this.routeOfTable.set(table.key, merge(this.routeOfTable.get(table.key), target));
    }
    for (const t of ipv6Only) if (!this.routeOfTable.has(t)) this.routeOfTable.set(t, 'unknown');
  }

  /** Where the default route of this subnet goes. */
  public of(subnet: Value): SubnetEgress {
    if (!(subnet instanceof ResRef)) return 'unknown';
    const res = this.graph.get(subnet.key);
    if (!res || res.type !== 'AWS::EC2::Subnet') return 'unknown';
    const table = this.tableOfSubnet.get(subnet.key);
    if (table === undefined || table === 'unknown') return 'unknown';
    if (!this.graph.get(table)) return 'unknown';
    return this.routeOfTable.get(table) ?? 'none';
  }

  /** Whether instances launched in this subnet get a public IP (`MapPublicIpOnLaunch`). */
  public mapsPublicIp(subnet: Value): boolean | 'unknown' {
    if (!(subnet instanceof ResRef)) return 'unknown';
    const res = this.graph.get(subnet.key);
    if (!res || res.type !== 'AWS::EC2::Subnet') return 'unknown';
    return bool(this.graph.prop(res, 'MapPublicIpOnLaunch')) ?? false;
  }

  /**
   * Whether a caller can reach the internet: through a NAT gateway from any of its subnets, or
   * through an internet gateway when it has a public IP there.
   */
  public ofCaller(caller: Pick<Caller, 'subnets' | 'publicIp'>): Egress {
    if (caller.subnets.length === 0) return 'unknown';
    let unknown = false;
    for (const s of caller.subnets) {
      const route = this.of(s);
      if (route === 'nat') return 'yes';
      if (route === 'unknown') {
        unknown = true;
      } else if (route === 'igw') {
        const ip = caller.publicIp === 'subnet' ? subnetIp(this.mapsPublicIp(s)) : caller.publicIp;
        if (ip === 'yes') return 'yes';
        if (ip === 'unknown') unknown = true;
      }
    }
    return unknown ? 'unknown' : 'no';
  }

  /** How messages name a subnet: its construct path, or the imported id. */
  public subnetName(subnet: Value): string {
    const res = subnet instanceof ResRef ? this.graph.get(subnet.key) : undefined;
    return res ? displayName(res) : describe(subnet);
  }

  private targetOf(props: { [k: string]: Value }): SubnetEgress {
    if (props.NatGatewayId !== undefined) {
      // A private NAT gateway reaches other networks only, never the internet (RULES.md, egress details).
      const nat = props.NatGatewayId instanceof ResRef ? this.graph.get(props.NatGatewayId.key) : undefined;
      const connectivity = nat?.type === 'AWS::EC2::NatGateway' ? nat.properties.ConnectivityType : undefined;
      if (connectivity === undefined) return 'nat';
      const c = literal(connectivity)?.toLowerCase();
      return c === 'public' ? 'nat' : c === 'private' ? 'none' : 'unknown';
    }
    const gw = props.GatewayId;
    if (gw !== undefined) {
      if (gw instanceof ResRef && this.graph.get(gw.key)?.type === 'AWS::EC2::InternetGateway') return 'igw';
      if (typeof gw === 'string' && gw.startsWith('igw-')) return 'igw';
    }
    return 'unknown';
  }
}

/** Two default routes on one table (only one can deploy): the more open answer wins, unknown taints. */
function merge(a: SubnetEgress | undefined, b: SubnetEgress): SubnetEgress {
  if (a === undefined) return b;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  if (a === 'nat' || b === 'nat') return 'nat';
  return 'igw';
}

function subnetIp(b: boolean | 'unknown'): 'yes' | 'no' | 'unknown' {
  return b === true ? 'yes' : b === false ? 'no' : 'unknown';
}
