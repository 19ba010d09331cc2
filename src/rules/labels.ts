/** Shared wording of rule messages, so that every rule names things the same way. */
import { ApiFact, CallLink, Caller, DomainFact, ExecuteApiEndpoint, MethodFact } from '../facts';
import { displayName, ResourceNode } from '../graph/resource-graph';

/** "public REST API Svc/PaymentsApi (REGIONAL)". */
export function apiLabel(api: ApiFact): string {
  const kind = api.kind === 'REST' ? 'REST API' : api.kind === 'HTTP' ? 'HTTP API' : 'WebSocket API';
  const type = api.kind === 'REST' && api.endpointType ? ` (${api.endpointType})` : '';
  return `${kind} ${displayName(api.resource)}${type}${samOrigin(api.resource)}`;
}

/**
 * " (made by SAM from Svc/GetPetsFn, Properties.Events.GetPets)" for a resource the SAM transform
 * makes under a logical id the user did not write; "" otherwise.
 */
export function samOrigin(r: ResourceNode): string {
  if (!r.origin) return '';
  const where = r.origin.property ? `, ${r.origin.property}` : '';
  return ` (made by SAM from ${r.stack.key}/${r.origin.logicalId}${where})`;
}

/** "Lambda function Svc/OrderSync". */
export function callerLabel(c: Caller): string {
  return `${c.kind} ${displayName(c.resource)}`;
}

/** "custom domain Svc/Domain (api.example.com)". */
export function domainLabel(d: DomainFact): string {
  return `custom domain ${displayName(d.resource)}${d.name ? ` (${d.name})` : ''}`;
}

/** "Net/Vpc/ExecuteApi, Net/Other/ExecuteApi". */
export function endpointsLabel(endpoints: ExecuteApiEndpoint[]): string {
  return endpoints.map((e) => displayName(e.resource)).join(', ');
}

/** "GET /pets, POST /pets", or "5 methods" past three. */
export function methodsLabel(methods: MethodFact[]): string {
  return methods.length > 3 ? `${methods.length} methods` : methods.map((m) => m.name).join(', ');
}

/** Where the evidence of a call is, as a phrase. */
export function evidenceLabel(l: CallLink): string {
  if (l.evidence === 'hint') return 'as declared with ApiReachability.of(...).declareCall';
  if (l.evidence === 'iam') return `as its role's policy ${displayName(l.holder)} allows execute-api:Invoke on it`;
  const where = l.holder === l.caller.resource ? l.location : `${displayName(l.holder)} ${l.location}`;
  return `see ${where}`;
}

/** How messages name one resource: its construct path, else `stack/logicalId`. */
export { displayName };
