/**
 * The facts every rule shares, derived once per graph and indexed; rules only read them.
 */
import { ApiDetails, readApiDetails } from './api-details';
import { ApiFact, DomainFact, MappedApis, readApis, readDomains } from './apis';
import { Caller, readCallers } from './callers';
import { CallIndex, CallLink } from './calls';
import { EgressIndex } from './egress';
import { ExecuteApiEndpoint, readExecuteApiEndpoints } from './endpoints';
import { RecordFact, readRecords } from './records';
import { RoleIndex } from './roles';
import { VpcIndex, VpcRef } from './vpcs';
import { ResourceGraph } from '../graph/resource-graph';

export * from './api-details';
export * from './access';
export * from './apis';
export * from './callers';
export * from './calls';
export * from './egress';
export * from './policies';
export * from './endpoints';
export * from './records';
export * from './roles';
export * from './vpcs';

/** Whether a caller can reach the internet: yes, no, or unknown. */
export type Egress = 'yes' | 'no' | 'unknown';

/** What the rules know about an app. */
export interface Facts {
  readonly graph: ResourceGraph;
  readonly vpcs: VpcIndex;
  readonly egress: EgressIndex;
  readonly endpoints: ExecuteApiEndpoint[];
  readonly apis: ApiFact[];
  readonly domains: DomainFact[];
  /** The APIs mapped on some custom domain, also one the app imports. */
  readonly mappedApis: MappedApis;
  readonly records: RecordFact[];
  readonly callers: Caller[];
  readonly calls: CallLink[];
  readonly roles: RoleIndex;
  /** Policies, stages, methods and usage plans of each API, by the API's resource key. */
  readonly apiDetails: ReadonlyMap<string, ApiDetails>;
  /** The execute-api endpoints of a VPC that serve a region (unknown regions match any). */
  endpointsOf(vpc: VpcRef, region: string | undefined): ExecuteApiEndpoint[];
  /**
   * The execute-api endpoint with private DNS on that resolves `*.execute-api.<region>` names
   * inside this VPC; 'unknown' when an endpoint there might (private DNS unknown, or conditional).
   */
  shadowingEndpoint(vpc: VpcRef, region: string | undefined): ExecuteApiEndpoint | 'unknown' | undefined;
  /** Whether a caller can reach the internet. */
  egressOf(caller: Caller): Egress;
}

/** Derives the facts of a graph. */
export function deriveFacts(graph: ResourceGraph): Facts {
  const vpcs = new VpcIndex(graph);
  const egress = new EgressIndex(graph);
  const roles = new RoleIndex(graph);
  const endpoints = readExecuteApiEndpoints(graph, vpcs);
  const apis = readApis(graph);
  const { domains, mappedApis } = readDomains(graph, apis);
  const records = readRecords(graph, apis, domains);
  const callers = readCallers(graph, vpcs);
  const callIndex = new CallIndex(apis, domains, records, roles);
  const calls = callers.flatMap((c) => callIndex.linksOf(c));

  const endpointsByVpc = new Map<string, ExecuteApiEndpoint[]>();
  for (const e of endpoints) {
    if (!e.vpc) continue;
    const list = endpointsByVpc.get(e.vpc.id);
    if (list) list.push(e);
    else endpointsByVpc.set(e.vpc.id, [e]);
  }

  // Unknown (environment-agnostic) regions count as the same region as anything.
  function endpointsOf(vpc: VpcRef, region: string | undefined): ExecuteApiEndpoint[] {
    return (endpointsByVpc.get(vpc.id) ?? []).filter(
      (e) => e.region === undefined || region === undefined || e.region === region,
    );
  }

  return {
    graph,
    vpcs,
    egress,
    endpoints,
    apis,
    domains,
    mappedApis,
    records,
    callers,
    calls,
    roles,
    apiDetails: readApiDetails(graph, apis),
    endpointsOf,
    shadowingEndpoint(vpc, region) {
      const here = endpointsOf(vpc, region);
      const on = here.find((e) => e.privateDns === true && !e.resource.conditional);
      if (on) return on;
      return here.some((e) => e.privateDns !== false) ? 'unknown' : undefined;
    },
    egressOf(caller) {
      if (caller.subnets.length === 0) return 'unknown';
      let unknown = false;
      for (const s of caller.subnets) {
        const route = egress.of(s);
        if (route === 'nat') return 'yes';
        if (route === 'unknown') {
          unknown = true;
        } else if (route === 'igw') {
          const ip = caller.publicIp === 'subnet' ? subnetIp(egress.mapsPublicIp(s)) : caller.publicIp;
          if (ip === 'yes') return 'yes';
          if (ip === 'unknown') unknown = true;
        }
      }
      return unknown ? 'unknown' : 'no';
    },
  };
}

function subnetIp(b: boolean | 'unknown'): 'yes' | 'no' | 'unknown' {
  return b === true ? 'yes' : b === false ? 'no' : 'unknown';
}
