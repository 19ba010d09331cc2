import { defineRule, Report } from './define-rule';
import {
  apiLabel,
  callerLabel,
  displayName,
  domainLabel,
  evidenceLabel,
  linkLocation,
  resolutionLabel,
  resolutionResources,
} from './labels';
import {
  CallLink,
  DnsName,
  RecordFact,
  Resolution,
  apiHostname,
  isRegionalDomainTarget,
  leadsThroughZoneOf,
  literalName,
} from '../facts';
import { ResourceNode } from '../graph/resource-graph';

type Messages = 'noRecord' | 'cnameToEndpoint';

export default defineRule<Messages>({
  name: 'PrivateZoneHidesHostname',
  level: 'error',
  summary:
    'A caller calls an API by a name that a private hosted zone associated with its VPC covers but holds no record for, or that the zone answers with a CNAME to an execute-api name its VPC resolves to an execute-api endpoint.',
  explanation:
    'A private hosted zone associated with a VPC answers, inside that VPC, for every name under its domain: a name it holds no record for ' +
    'does not exist there, even when public DNS knows it (split-horizon DNS). A zone for example.com hides api.example.com unless it holds ' +
    'a record for it; a zone for execute-api.<region>.amazonaws.com hides the default hostname of every API it holds no record for, and a ' +
    'zone for {api-id}.execute-api.<region>.amazonaws.com without a record at its apex hides that API: the call never reaches API Gateway. ' +
    "A CNAME in such a zone from a custom domain name to the domain's regional name d-….execute-api.<region>.amazonaws.com sends the " +
    'resolver on to an execute-api name, which a VPC with an execute-api endpoint (its own with private DNS on, a Route 53 Profile, a zone ' +
    'for execute-api names) resolves to the endpoint: the endpoint only reaches private APIs, and the call gets 403 Forbidden.',
  troubleshooting: 'the call never reaches API Gateway, or reaches the endpoint: 403',
  sourceUrl: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html',
  since: '0.3.0',
  messages: {
    noRecord: {
      message:
        '{caller} calls {target} on {host} ({evidence}), but runs in VPC {vpc}, {why}: inside that VPC the name does not resolve ' +
        '(split-horizon DNS), so the call never reaches API Gateway.',
      fix: '{remedy}',
    },
    cnameToEndpoint: {
      message:
        '{caller} calls {target} ({evidence}) from VPC {vpc}, {why}: the CNAME sends the resolver on to an execute-api name that the ' +
        'VPC resolves to execute-api endpoint {endpoint}, which only reaches private APIs, so every call gets 403 Forbidden.',
      fix:
        'Replace record {record} with an A alias record (and an AAAA alias) to the domain: route53.ARecord in that zone with ' +
        "RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)). Route 53 answers an alias with the domain's own addresses, which the " +
        'endpoint does not shadow.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller } = link;
      if (!caller.vpc || caller.resource.conditional) continue;
      const called = calledName(link);
      if (!called) continue;
      const resolved = facts.resolution.resolve(caller.vpc, called.name);
      const data = {
        caller: callerLabel(caller),
        target: called.target,
        evidence: evidenceLabel(link),
        vpc: caller.vpc.name,
        why: resolutionLabel(resolved),
      };
      const related = [...(link.domain ? [link.domain.resource] : []), ...(link.api ? [link.api.resource] : [])];
      if (resolved.kind === 'nxdomain') {
        reports.push({
          messageId: 'noRecord',
          data: { ...data, host: called.host, remedy: remedyOf(link, called.name, resolved) },
          resource: caller.resource,
          related: [...related, ...resolutionResources(resolved)],
          other: called.other,
          ...linkLocation(link),
        });
        continue;
      }
      // A CNAME of the zone to a regional domain's d-… name that the VPC resolves to an endpoint. Rule 3
      // (RegionalDomainCnameRecord) leaves these callers to this rule.
      const record = link.via === 'domain' && resolved.kind === 'endpoint' ? regionalCname(resolved) : undefined;
      if (!record || resolved.kind !== 'endpoint') continue;
      reports.push({
        messageId: 'cnameToEndpoint',
        data: { ...data, endpoint: resolved.endpoint.name, record: displayName(record.resource) },
        resource: caller.resource,
        related: [...related, ...resolutionResources(resolved)],
        other: called.other,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});

/** The name a call uses, with how messages name what it calls and the finding's other end. */
function calledName(
  link: CallLink,
): { name: DnsName; host: string; target: string; other: ResourceNode | string } | undefined {
  if (link.via === 'default-host' && link.api) {
    return {
      name: apiHostname(link.api),
      host: 'its default hostname',
      target: apiLabel(link.api),
      other: link.api.resource,
    };
  }
  if (link.via === 'default-host' && link.external) {
    return {
      name: literalName(link.external.host),
      host: link.external.host,
      target: 'an API this app does not define',
      other: link.external.host,
    };
  }
  if (link.via === 'domain') {
    // The name the caller's configuration names: the record's, else the domain's own.
    const host = link.record?.name ?? link.domain?.name;
    if (!host) return undefined;
    return {
      name: literalName(host),
      host,
      target: link.domain ? domainLabel(link.domain) : `the custom domain name ${host}`,
      other: link.domain?.resource ?? host,
    };
  }
  return undefined; // an endpoint-specific hostname, a bare id or an IAM grant names no hostname this rule reads
}

/** The first step's record, when it is a CNAME to a regional custom domain's d-….execute-api name. */
function regionalCname(resolved: Resolution): RecordFact | undefined {
  if (resolved.kind !== 'endpoint') return undefined;
  const first = resolved.steps[0];
  if (first?.kind !== 'zone' || !first.record || first.record.alias || first.record.type !== 'CNAME') return undefined;
  const r = first.record;
  return r.target && isRegionalDomainTarget(r.target) ? r : undefined;
}

/** The fix for a name a zone hides, by what is called and which zone hides it. */
function remedyOf(link: CallLink, name: DnsName, resolved: Resolution): string {
  const last = resolved.kind === 'unknown' ? undefined : resolved.steps[resolved.steps.length - 1];
  const zone =
    last?.kind === 'zone' ? `private hosted zone ${displayName(last.zone.resource)} (${last.zone.label})` : 'the zone';
  const zoneName = last?.kind === 'zone' ? last.zone.label : '';
  const vpc = link.caller.vpc!.name;
  const dissociate = `or do not associate ${zone} with VPC ${vpc}`;
  if (link.via === 'domain') {
    if (link.domain?.endpointType === 'PRIVATE') {
      return (
        `Add an A alias record for ${link.record?.name ?? link.domain.name} to ${zone}, to the execute-api endpoint that has an access ` +
        `association with the domain (route53.ARecord with RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(endpoint))), ${dissociate}.`
      );
    }
    return (
      `Add an A alias record (and an AAAA alias) for ${link.record?.name ?? link.domain?.name} to ${zone}, to the custom domain ` +
      `(route53.ARecord with RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)); RegionalCustomDomain with hostedZone: that zone), ` +
      `${dissociate}.`
    );
  }
  if (leadsThroughZoneOf(resolved, name)) {
    return (
      `Add an A alias record at the apex of ${zone} to the execute-api endpoint that serves the API ` +
      `(route53.ARecord with no recordName and RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(endpoint))), ${dissociate}.`
    );
  }
  if (link.api?.endpointType === 'PRIVATE') {
    return (
      `Share the endpoint through a zone of the API's own, {api-id}.execute-api.<region>.amazonaws.com with an A alias at its apex to the ` +
      `endpoint (the hub-and-spoke pattern), or add an A alias record for the API to ${zone}, ${dissociate}.`
    );
  }
  return (
    `A private hosted zone for ${zoneName} answers for every name under it, public APIs' names too: replace it with one zone per private ` +
    `API ({api-id}.execute-api.<region>.amazonaws.com, an A alias at its apex to the endpoint), so that other names stay public, ${dissociate}.`
  );
}
