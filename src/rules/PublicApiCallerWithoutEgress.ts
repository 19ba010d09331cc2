import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, domainLabel, linkLocation } from './labels';

type Messages = 'noEgress';

export default defineRule<Messages>({
  name: 'PublicApiCallerWithoutEgress',
  level: 'error',
  summary: 'A caller of a public API sits only in subnets with no route to the internet.',
  explanation:
    'Public APIs are reached over the internet, also from inside a VPC: "resources in your VPC that connect to public APIs must have internet ' +
    'connectivity". A caller whose subnets have no default route to a NAT gateway (or to an internet gateway, for callers with a public IP; ' +
    'Lambda functions never have one) cannot reach the API at all: its calls time out instead of getting an answer.',
  troubleshooting:
    'Resources in your VPC that connect to public APIs must have internet connectivity (a timeout, not a 403)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
  since: '0.1.0',
  messages: {
    noEgress: {
      message:
        '{caller} calls public {target}, but it sits only in subnets with no route to the internet ({subnets}). ' +
        'Calls to a public API leave the VPC, so they time out before API Gateway answers.',
      fix:
        'Place {callerName} in subnets whose default route goes to a NAT gateway (subnetType PRIVATE_WITH_EGRESS), ' +
        'or make the API private and reach it through an execute-api VPC endpoint (PrivateApiAccess).',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api, domain } = link;
      if (link.via === 'endpoint-host' || caller.resource.conditional) continue;
      let target: string;
      let other;
      if (api) {
        if (api.isPublic !== true) continue;
        target = apiLabel(api);
        other = api.resource;
      } else if (domain) {
        if (domain.endpointType !== 'REGIONAL' && domain.endpointType !== 'EDGE') continue;
        target = domainLabel(domain);
        other = domain.resource;
      } else {
        continue; // APIs of unknown type (rule 2) are outside this rule
      }
      if (facts.egress.ofCaller(caller) !== 'no') continue;
      reports.push({
        messageId: 'noEgress',
        data: {
          caller: callerLabel(caller),
          callerName: callerLabel(caller),
          target,
          subnets: caller.subnets.map((s) => facts.egress.subnetName(s)).join(', '),
        },
        resource: caller.resource,
        related: [other],
        other,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});
