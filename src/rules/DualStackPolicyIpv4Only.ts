import { defineRule, Report } from './define-rule';
import { apiLabel, domainLabel } from './labels';
import { DomainFact, DomainMapping, ipv4OnlyPolicy } from '../facts';

type Messages = 'allowIpv4Only' | 'denyOutsideIpv4';

export default defineRule<Messages>({
  name: 'DualStackPolicyIpv4Only',
  level: 'warning',
  summary:
    'An API accepts IPv6 (it, or a custom domain that maps it, is dual-stack) while its resource policy admits callers only from IPv4 aws:SourceIp ranges.',
  explanation:
    'A dual-stack API or custom domain name accepts connections over IPv4 and IPv6, and the aws:SourceIp of a request made over IPv6 is ' +
    'the IPv6 address of the client. A resource policy whose Allow statements all require aws:SourceIp in IPv4 ranges allows no such ' +
    'request, and a Deny on NotIpAddress that lists only IPv4 ranges catches every one of them: every client that connects over IPv6 is ' +
    'answered 403 "User: anonymous is not authorized to perform: execute-api:Invoke". AWS asks to update such policies before switching ' +
    'an API or a domain to dual-stack. A Warning: whether clients connect over IPv6 depends on their network.',
  troubleshooting: 'User: anonymous is not authorized to perform: execute-api:Invoke',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-ip-address-type.html',
  since: '0.3.0',
  messages: {
    allowIpv4Only: {
      message:
        '{api} accepts IPv6: {way}. But its resource policy allows execute-api:Invoke only from IPv4 aws:SourceIp ranges ({ranges}): every ' +
        'client that connects over IPv6 is denied with 403 "User: anonymous is not authorized to perform: execute-api:Invoke".',
      fix:
        'Add the IPv6 ranges of your clients to the IpAddress condition on aws:SourceIp next to the IPv4 ones, or {undo} so that clients ' +
        'connect over IPv4.',
    },
    denyOutsideIpv4: {
      message:
        '{api} accepts IPv6: {way}. But its resource policy denies execute-api:Invoke to everyone whose aws:SourceIp is outside IPv4 ' +
        'ranges ({ranges}): every client that connects over IPv6 is denied with 403 "User: anonymous is not authorized to perform: ' +
        'execute-api:Invoke … with an explicit deny".',
      fix:
        'Add the IPv6 ranges of your clients to the NotIpAddress condition on aws:SourceIp of the Deny statement, or {undo} so that ' +
        'clients connect over IPv4.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    // The dual-stack domains that map each API, with their mappings of it: one walk over the domains.
    const dualStackWays = new Map<string, Array<{ domain: DomainFact; mappings: DomainMapping[] }>>();
    for (const domain of facts.domains) {
      if (domain.resource.conditional || domain.version === 'private' || domain.ipAddressType !== 'dualstack') continue;
      for (const api of domain.apis) {
        const mappings = domain.mappings.filter((m) => m.api === api && !m.resource.conditional);
        if (mappings.length === 0) continue;
        const ways = dualStackWays.get(api.resource.key) ?? [];
        ways.push({ domain, mappings });
        dualStackWays.set(api.resource.key, ways);
      }
    }
    for (const api of facts.apis) {
      // Only REST APIs have resource policies. Private ones are reached through interface VPC endpoints, where a
      // policy tells callers apart by endpoint and VPC (aws:SourceVpce, aws:SourceVpc), not by public source address.
      if (api.kind !== 'REST' || api.resource.conditional) continue;
      if (api.endpointType !== 'REGIONAL' && api.endpointType !== 'EDGE') continue;
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || d.policy === undefined || d.policy === 'unknown') continue;
      const gate = ipv4OnlyPolicy(d.policy);
      if (!gate) continue;
      const messageId: Messages = gate.kind === 'allow' ? 'allowIpv4Only' : 'denyOutsideIpv4';
      const ranges = rangesLabel(gate.ranges);
      // The way in over IPv6: the API's own default endpoint (unless disabled), and each dual-stack domain that maps it.
      if (d.defaultEndpointDisabled === false && api.ipAddressType === 'dualstack') {
        reports.push({
          messageId,
          data: {
            api: apiLabel(api),
            way: 'its default execute-api endpoint is dual-stack (EndpointConfiguration.IpAddressType: dualstack)',
            ranges,
            undo: `set ipAddressType: IpAddressType.IPV4 in the endpointConfiguration of ${apiLabel(api)}`,
          },
          resource: api.resource,
          related: [],
          other: api.resource,
          location: d.policyLocation,
        });
      }
      for (const { domain, mappings } of dualStackWays.get(api.resource.key) ?? []) {
        reports.push({
          messageId,
          data: {
            api: apiLabel(api),
            way: `${domainLabel(domain)}, which maps it, is dual-stack`,
            ranges,
            undo: `make ${domainLabel(domain)} IPv4-only (IpAddressType: ipv4)`,
          },
          resource: api.resource,
          related: [domain.resource, ...mappings.map((m) => m.resource)],
          other: domain.resource,
          location: d.policyLocation,
        });
      }
    }
    return reports;
  },
});

/** "203.0.113.0/24, 198.51.100.0/24", or the first three and how many more. */
function rangesLabel(ranges: string[]): string {
  return ranges.length > 3 ? `${ranges.slice(0, 3).join(', ')} and ${ranges.length - 3} more` : ranges.join(', ');
}
