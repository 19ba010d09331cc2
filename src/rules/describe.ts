/** Shared wording of rule messages, so that every rule names things the same way. */
import { ApiFact, CallLink, Caller, DomainFact, RequestPrincipal } from '../facts';
import { displayName, ResourceNode } from '../graph/resource-graph';
import { ResRef, Value, describe } from '../graph/values';

/** "public REST API Svc/PaymentsApi (REGIONAL)". */
export function apiLabel(api: ApiFact): string {
  const kind = api.kind === 'REST' ? 'REST API' : api.kind === 'HTTP' ? 'HTTP API' : 'WebSocket API';
  const type = api.kind === 'REST' && api.endpointType ? ` (${api.endpointType})` : '';
  return `${kind} ${displayName(api.resource)}${type}`;
}

/** "Lambda function Svc/OrderSync". */
export function callerLabel(c: Caller): string {
  return `${c.kind} ${displayName(c.resource)}`;
}

/** "custom domain Svc/Domain (api.example.com)". */
export function domainLabel(d: DomainFact): string {
  return `custom domain ${displayName(d.resource)}${d.name ? ` (${d.name})` : ''}`;
}

/** Where the evidence of a call is, as a phrase. */
export function evidenceLabel(l: CallLink): string {
  if (l.evidence === 'hint') return 'as declared with ApiReachability.of(...).declareCall';
  if (l.evidence === 'iam') return `as its role's policy ${displayName(l.holder)} allows execute-api:Invoke on it`;
  const where = l.holder === l.caller.resource ? l.location : `${displayName(l.holder)} ${l.location}`;
  return `see ${where}`;
}

/** The resources a list of values names, for messages. */
export function namesOf(values: Value[], get: (key: string) => ResourceNode | undefined): string {
  return values.map((v) => (v instanceof ResRef && get(v.key) ? displayName(get(v.key)!) : describe(v))).join(', ');
}

/** The principal a caller's requests carry: anonymous for APIs whose methods are all unsigned, else its role. */
export function principalOf(c: Caller, methodsAllUnsigned: boolean): RequestPrincipal {
  if (methodsAllUnsigned || c.roles.length === 0) return { kind: 'anonymous' };
  return { kind: 'aws', identity: c.roles[0] };
}
