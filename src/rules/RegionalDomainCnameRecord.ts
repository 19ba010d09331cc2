import { defineRule, Report } from './define-rule';
import {
  RecordFact,
  Resolution,
  apiHostname,
  isRegionalDomainTarget,
  literalName,
  regionalDomainHostname,
} from '../facts';
import { callerLabel, domainLabel, apiLabel, displayName, resolutionLabel, resolutionResources } from './labels';

type Messages = 'cname' | 'cnameShadowed';

const FIX =
  'Publish {name} with a Route 53 A alias record (and an AAAA alias) to the domain instead of a CNAME: RegionalCustomDomain does this, ' +
  'or route53.ARecord with RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)).';

export default defineRule<Messages>({
  name: 'RegionalDomainCnameRecord',
  level: 'warning',
  summary:
    'A regional custom domain (or an execute-api hostname) is published with a Route 53 CNAME record instead of an A/AAAA alias record.',
  explanation:
    'A CNAME sends the resolver on to the target name d-….execute-api.<region>.amazonaws.com. Inside a VPC whose execute-api endpoint has ' +
    'private DNS on, that name resolves to the endpoint, which only reaches private APIs: calls through the custom domain get 403 Forbidden. ' +
    "An A alias record is answered by Route 53 with the domain's own addresses, so the private zone never sees the name.",
  troubleshooting: 'VPC endpoint can only reach private APIs (403 Forbidden), through a custom domain',
  sourceUrl:
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html',
  since: '0.1.0',
  messages: {
    cname: {
      message:
        'Record {record} publishes {name} as a CNAME to {target}. Any caller in a VPC whose execute-api endpoint has private DNS on will ' +
        'resolve that target to the endpoint, which only reaches private APIs, and get 403 Forbidden.',
      fix: FIX,
    },
    cnameShadowed: {
      message:
        'Record {record} publishes {name} as a CNAME to {target}, and {caller} calls it from VPC {vpc}, {why}: ' +
        'the CNAME target resolves to the endpoint, which only reaches private APIs, so every call gets 403 Forbidden.',
      fix: FIX,
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const record of facts.records) {
      const t = record.target;
      if (record.type !== 'CNAME' || record.alias || !t) continue;
      if (t.domain && t.domain.endpointType !== 'REGIONAL') continue; // edge targets are CloudFront names: a CNAME works
      // The name the CNAME sends the resolver on to.
      const targetName = t.domain
        ? regionalDomainHostname(t.domain)
        : t.api
          ? apiHostname(t.api)
          : literalName(t.host!);
      const target = t.domain
        ? `${domainLabel(t.domain)}'s regional name`
        : t.api
          ? `the default hostname of ${apiLabel(t.api)}`
          : t.host!;
      const name = record.name ?? displayName(record.resource);
      const callers = [
        ...facts.callsThrough.through(record),
        ...(t.domain ? facts.callsThrough.through(t.domain) : []),
      ];
      // A record of a private hosted zone is only seen by the VPCs the zone is associated with, and a caller
      // there that a CNAME to a regional domain's d-… name sends to an endpoint is rule 20's
      // (PrivateZoneHidesHostname): this rule leaves it that caller, and then reports nothing for the record
      // unless another caller is shadowed through it.
      const inPrivateZone = facts.resolution.privateZoneOf(record) !== undefined;
      let leftToRule20 = false;
      let shadowed: Report<Messages> | undefined;
      for (const l of callers) {
        if (!l.caller.vpc || l.caller.resource.conditional) continue;
        if (record.name) {
          // The record only answers where the caller's VPC resolves its name through public DNS (this rule) or
          // through this very record in a private zone (rule 20's). Elsewhere (a zone of the VPC hides the name,
          // which is rule 20's too, or answers it with another record) the caller never reads this record.
          const own = facts.resolution.resolve(l.caller.vpc, literalName(record.name));
          if (throughRecord(own, record)) {
            // Rule 20 reports a CNAME to a regional domain's d-… name; a CNAME to a default hostname stays here.
            if (own.kind === 'endpoint' && isRegionalDomainTarget(t)) {
              leftToRule20 = true;
              continue;
            }
          } else if (inPrivateZone || own.kind !== 'public' || own.steps.length > 0) {
            continue;
          }
        } else if (inPrivateZone) {
          continue;
        }
        const resolved = facts.resolution.resolve(l.caller.vpc, targetName);
        if (resolved.kind !== 'endpoint') continue;
        shadowed = {
          messageId: 'cnameShadowed',
          level: 'error',
          data: {
            record: displayName(record.resource),
            name,
            target,
            caller: callerLabel(l.caller),
            vpc: l.caller.vpc.name,
            why: resolutionLabel(resolved),
          },
          resource: record.resource,
          related: [...(t.domain ? [t.domain.resource] : []), l.caller.resource, ...resolutionResources(resolved)],
          other: t.domain?.resource ?? t.api?.resource ?? t.host ?? name,
          location: record.location,
        };
        break;
      }
      if (!shadowed && leftToRule20) continue;
      reports.push(
        shadowed ?? {
          messageId: 'cname',
          data: { record: displayName(record.resource), name, target },
          resource: record.resource,
          related: t.domain ? [t.domain.resource] : t.api ? [t.api.resource] : [],
          other: t.domain?.resource ?? t.api?.resource ?? t.host ?? name,
          location: record.location,
        },
      );
    }
    return reports;
  },
});

/** Whether a resolution goes through this record of a private hosted zone. */
function throughRecord(r: Resolution, record: RecordFact): boolean {
  return r.kind !== 'unknown' && r.steps.some((s) => s.kind === 'zone' && s.record === record);
}
