/**
 * The facts every rule shares, derived once per graph and indexed; rules only read them. This
 * module only assembles: each fact family is derived and queried in its own module, and `Facts`
 * holds no graph, so that "rules never walk the graph" is enforced by the type.
 */
import { ApiDetails, readApiDetails } from './api-details';
import { ApiFact, DomainFact, MappedApis, readApis, readDomains } from './apis';
import { Caller, readCallers } from './callers';
import { CallIndex, CallLink, CallsByTarget, StoredValues } from './calls';
import { EgressIndex } from './egress';
import { EndpointIndex, readExecuteApiEndpoints } from './endpoints';
import { FactGuard } from './guard';
import { RecordFact, readRecords } from './records';
import { ResolutionIndex } from './resolution';
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
export * from './guard';
export * from './ip-address-type';
export * from './records';
export * from './resolution';
export * from './roles';
export * from './routes';
export * from './tri';
export * from './vpcs';

/** What the rules know about an app. */
export interface Facts {
  /** Default routes of subnets, and whether a caller can reach the internet. */
  readonly egress: EgressIndex;
  /** The execute-api endpoints, by VPC and region. */
  readonly endpoints: EndpointIndex;
  /**
   * Where a name resolves inside a VPC: an execute-api endpoint (its own, a Route 53 Profile's, or
   * through a private hosted zone), public DNS, nowhere, or unknown. Every rule about hostnames asks it.
   */
  readonly resolution: ResolutionIndex;
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
  /**
   * What could not be derived, one line each, naming the resource. A family that failed as a whole
   * throws FactUnavailable when a rule reads it, so that rule stays silent and the others run.
   */
  readonly problems: ReadonlyArray<string>;
}

/**
 * Derives the facts of a graph. Never throws: a resource whose facts cannot be read is left out of
 * them (one problem that names it); a family that cannot be derived at all makes the rules that
 * read it stay silent. Only families whose loss cannot raise a finding are read resource by
 * resource (callers, calls, APIs, records: fewer of them only means fewer findings); the others
 * (endpoints, domains, egress …), where a missing entry would read as "there is none", fail whole.
 */
export function deriveFacts(graph: ResourceGraph): Facts {
  const guard = new FactGuard();
  const vpcs = guard.family('VPC', () => new VpcIndex(graph));
  const roles = guard.family('IAM role', () => new RoleIndex(graph));
  const apis = guard.family('API', () => readApis(graph, guard));
  const domainFacts = guard.family('custom domain', () => readDomains(graph, apis()));
  const recordRead = guard.family('DNS record', () => readRecords(graph, apis(), domainFacts().domains, guard));
  const records = () => recordRead().records;
  const callers = guard.family('caller', () => readCallers(graph, vpcs(), guard));
  // Before the calls: an endpoint records the private APIs outside the app that it reaches.
  const endpoints = guard.family(
    'execute-api endpoint',
    () => new EndpointIndex(readExecuteApiEndpoints(graph, vpcs())),
  );
  const resolution = guard.family(
    'DNS resolution',
    () => new ResolutionIndex(graph, vpcs(), endpoints(), recordRead()),
  );
  const calls = guard.family('call', () => {
    const privateApis = new Set(endpoints().all.flatMap((e) => e.privateApis));
    const index = new CallIndex(
      apis(),
      domainFacts().domains,
      records(),
      roles(),
      privateApis,
      new StoredValues(graph),
    );
    return guard
      .each(
        'call',
        callers(),
        (c) => index.linksOf(c),
        (c) => c.resource,
      )
      .flat();
  });
  const callsThrough = guard.family('call', () => new CallsByTarget(calls()));
  const egress = guard.family('egress', () => new EgressIndex(graph));
  const apiDetails = guard.family('API detail', () => readApiDetails(graph, apis()));
  return {
    get egress() {
      return egress();
    },
    get endpoints() {
      return endpoints();
    },
    get resolution() {
      return resolution();
    },
    get apis() {
      return apis();
    },
    get domains() {
      return domainFacts().domains;
    },
    get mappedApis() {
      return domainFacts().mappedApis;
    },
    get records() {
      return records();
    },
    get callers() {
      return callers();
    },
    get calls() {
      return calls();
    },
    get callsThrough() {
      return callsThrough();
    },
    get roles() {
      return roles();
    },
    get apiDetails() {
      return apiDetails();
    },
    problems: guard.problems,
  };
}
