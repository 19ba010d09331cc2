/**
 * The facts every rule shares, derived once per graph and indexed; rules only read them. This
 * module only assembles: each fact family is derived and queried in its own module, and `Facts`
 * holds no graph, so that "rules never walk the graph" is enforced by the type.
 */
import { ApiDetails, readApiDetails } from './api-details';
import { ApiFact, DomainFact, MappedApis, readApis, readDomains } from './apis';
import { Caller, readCallers } from './callers';
import { CallIndex, CallLink, CallsByTarget } from './calls';
import { EgressIndex } from './egress';
import { EndpointIndex, readExecuteApiEndpoints } from './endpoints';
import { RecordFact, readRecords } from './records';
import { RoleIndex } from './roles';
import { VpcIndex } from './vpcs';
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
export * from './tri';
export * from './vpcs';

/** What the rules know about an app. */
export interface Facts {
  /** Default routes of subnets, and whether a caller can reach the internet. */
  readonly egress: EgressIndex;
  /** The execute-api endpoints, by VPC: which serve a region, which shadows its names. */
  readonly endpoints: EndpointIndex;
  readonly apis: ApiFact[];
  readonly domains: DomainFact[];
  /** The APIs mapped on some custom domain, also one the app imports. */
  readonly mappedApis: MappedApis;
  readonly records: RecordFact[];
  readonly callers: Caller[];
  readonly calls: CallLink[];
  /** The calls through each record and custom domain. */
  readonly callsThrough: CallsByTarget;
  readonly roles: RoleIndex;
  /** Policies, stages, methods and usage plans of each API, by the API's resource key. */
  readonly apiDetails: ReadonlyMap<string, ApiDetails>;
}

/** Derives the facts of a graph. */
export function deriveFacts(graph: ResourceGraph): Facts {
  const vpcs = new VpcIndex(graph);
  const roles = new RoleIndex(graph);
  const apis = readApis(graph);
  const { domains, mappedApis } = readDomains(graph, apis);
  const records = readRecords(graph, apis, domains);
  const callers = readCallers(graph, vpcs);
  const callIndex = new CallIndex(apis, domains, records, roles);
  const calls = callers.flatMap((c) => callIndex.linksOf(c));
  return {
    egress: new EgressIndex(graph),
    endpoints: new EndpointIndex(readExecuteApiEndpoints(graph, vpcs)),
    apis,
    domains,
    mappedApis,
    records,
    callers,
    calls,
    callsThrough: new CallsByTarget(calls),
    roles,
    apiDetails: readApiDetails(graph, apis),
  };
}
