/** Shared wording of rule messages, so that every rule names things the same way. */
import {
  ApiFact,
  CallLink,
  Caller,
  DomainFact,
  ExecuteApiEndpoint,
  MethodFact,
  PrivateZone,
  ProfileLink,
  Resolution,
  ResolutionStep,
} from '../facts';
import type { Report } from './define-rule';
import { ResourceNode, displayName } from '../graph/resource-graph';

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
  return `see ${evidenceWhere(l)}`;
}

/**
 * Where the evidence of a call is, for messages: the property path (with the variable's name when
 * the path reaches it by index), after the resource that holds it when that is not the caller.
 */
export function evidenceWhere(l: CallLink): string {
  const path = l.evidenceName !== undefined ? `${l.evidenceLocation} (${l.evidenceName})` : l.evidenceLocation;
  return l.holder === l.caller.resource ? path : `${displayName(l.holder)} ${path}`;
}

/**
 * The location of a finding on the caller of a call: a path of the caller's own template, and, when
 * the evidence is in another resource (an ECS service's task definition, a role's policy), that
 * resource and the path in its template.
 */
export function linkLocation(l: CallLink): Pick<Report, 'location' | 'evidence'> {
  if (l.holder === l.caller.resource) return { location: l.location };
  return { location: l.location, evidence: { resource: l.holder, location: l.evidenceLocation } };
}

/** How messages name one resource: its construct path, else `stack/logicalId`. */
export { displayName };

/** "private hosted zone Net/Zone (execute-api.us-east-1.amazonaws.com)". */
function zoneLabel(zone: PrivateZone): string {
  return `private hosted zone ${displayName(zone.resource)} (${zone.label})`;
}

/** "Route 53 Profile Net/Profile (associated with the VPC by Net/ProfileAssociation)". */
function profileLabel(p: ProfileLink): string {
  return `Route 53 Profile ${displayName(p.profile)} (associated with the VPC by ${displayName(p.association)})`;
}

/** One step of a resolution, as a clause. */
function stepLabel(s: ResolutionStep): string {
  switch (s.kind) {
    case 'private-dns': {
      if (!s.profile) return `execute-api endpoint ${displayName(s.endpoint.resource)} has private DNS on`;
      const vpc = s.endpoint.vpc ? ` of VPC ${s.endpoint.vpc.name}` : '';
      return `${profileLabel(s.profile)} carries execute-api endpoint ${displayName(s.endpoint.resource)}${vpc}, whose private DNS is on`;
    }
    case 'zone': {
      const zone = s.profile ? `${zoneLabel(s.zone)}, carried by ${profileLabel(s.profile)},` : zoneLabel(s.zone);
      if (!s.record) return `${zone} covers that name but holds no record for it`;
      const kind = s.record.alias ? 'an alias' : s.record.type === 'CNAME' ? 'a CNAME' : `an ${s.record.type} record`;
      return `${zone} answers that name with ${kind} (${displayName(s.record.resource)})`;
    }
    case 'resolver-rule': {
      const how = s.profile ? profileLabel(s.profile) : `association ${displayName(s.association)}`;
      return `Resolver rule ${displayName(s.rule)} (applied by ${how}) forwards ${s.domain} to resolvers outside the app`;
    }
  }
}

/**
 * Why a name resolves where it does inside a VPC, as a clause that follows "runs in VPC X,":
 * "where execute-api endpoint Net/Vpc/Endpoint has private DNS on", "where private hosted zone … answers
 * that name with an alias (…) to execute-api endpoint Hub/Endpoint".
 */
export function resolutionLabel(r: Resolution): string {
  if (r.kind === 'unknown') return 'where the app cannot show how that name resolves';
  const steps = r.steps.map(stepLabel).join(', whose target ');
  const last = r.steps[r.steps.length - 1];
  const to = r.kind === 'endpoint' && last?.kind === 'zone' ? ` to execute-api endpoint ${r.endpoint.name}` : '';
  return `where ${steps}${to}`;
}

/** The resources a resolution goes through (endpoint, zones, records, Profiles, rules), without repeats. */
export function resolutionResources(r: Resolution): ResourceNode[] {
  if (r.kind === 'unknown') return [];
  const out: ResourceNode[] = [];
  const add = (n: ResourceNode | undefined) => n && !out.includes(n) && out.push(n);
  if (r.kind === 'endpoint') add(r.endpoint.endpoint?.resource);
  for (const s of r.steps) {
    if (s.kind === 'private-dns') add(s.endpoint.resource);
    if (s.kind === 'zone') {
      add(s.zone.resource);
      add(s.record?.resource);
    }
    if (s.kind === 'resolver-rule') add(s.rule);
    add(s.profile?.profile);
  }
  return out;
}

/**
 * How to stop a name from leading to an endpoint, for a fix: "set privateDnsEnabled: false on X",
 * "take X out of Route 53 Profile P", "remove record R from zone Z".
 */
export function undoResolutionLabel(r: Resolution): string {
  if (r.kind !== 'endpoint' && r.kind !== 'forwarded') return 'change how the VPC resolves that name';
  const last = r.steps[r.steps.length - 1];
  const first = r.steps[0];
  if (first?.kind === 'zone' && first.record) {
    return (
      `remove record ${displayName(first.record.resource)} from ${zoneLabel(first.zone)}, and share a central endpoint ` +
      'through one private hosted zone per private API ({api-id}.execute-api.<region>.amazonaws.com, an alias to the endpoint)'
    );
  }
  if (last?.kind === 'private-dns' && last.profile) {
    return (
      `take ${displayName(last.endpoint.resource)} out of Route 53 Profile ${displayName(last.profile.profile)} (or turn its private DNS off) ` +
      'and reach private APIs by their endpoint-specific hostname'
    );
  }
  if (last?.kind === 'private-dns') {
    return `set privateDnsEnabled: false on ${displayName(last.endpoint.resource)} and reach private APIs by their endpoint-specific hostname`;
  }
  if (last?.kind === 'resolver-rule') {
    return `make the resolvers that Resolver rule ${displayName(last.rule)} forwards to answer public APIs' names with public addresses`;
  }
  return 'change how the VPC resolves that name';
}
