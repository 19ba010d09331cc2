import { defineRule, Report } from './define-rule';
import { mayBeMapped } from '../facts';
import { apiLabel, callerLabel, evidenceLabel, displayName } from './labels';

type Messages = 'shadowed' | 'shadowedById' | 'shadowedByGrant';

const FIX =
  'Call {api} through a regional custom domain published with a Route 53 A alias record (RegionalCustomDomain, then domain.urlFor(basePath)), ' +
  'or set privateDnsEnabled: false on {endpoint} and reach private APIs by their endpoint-specific hostname.';

export default defineRule<Messages>({
  name: 'PrivateDnsShadowsPublicApi',
  level: 'error',
  summary:
    'A caller in a VPC whose execute-api endpoint has private DNS on calls a public API (same region) on its default execute-api hostname.',
  explanation:
    'With private DNS on, an execute-api interface endpoint makes every *.execute-api.<region>.amazonaws.com name resolve, inside its VPC, ' +
    'to the endpoint. The endpoint only reaches private APIs, so API Gateway answers 403 Forbidden to every call to a public (edge, regional, ' +
    'HTTP or WebSocket) API made on its default hostname from that VPC.',
  troubleshooting: 'VPC endpoint can only reach private APIs (403 Forbidden)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
  since: '0.1.0',
  messages: {
    shadowed: {
      message:
        '{caller} runs in VPC {vpc}, where execute-api endpoint {endpoint} has private DNS on, and calls public {api} on its default hostname ({evidence}). ' +
        'Private DNS sends that name to the endpoint, which only reaches private APIs: every call gets 403 Forbidden.',
      fix: FIX,
    },
    shadowedById: {
      message:
        '{caller} runs in VPC {vpc}, where execute-api endpoint {endpoint} has private DNS on, and is given the id of public {api} ({evidence}); ' +
        'if it builds the default hostname from that id, private DNS sends the call to the endpoint, which only reaches private APIs: 403 Forbidden.',
      fix: FIX,
    },
    shadowedByGrant: {
      message:
        '{caller} runs in VPC {vpc}, where execute-api endpoint {endpoint} has private DNS on, and may invoke public {api} ({evidence}); ' +
        'called on its default hostname, private DNS sends the call to the endpoint, which only reaches private APIs: 403 Forbidden.',
      fix: FIX,
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api } = link;
      if (!api || api.isPublic !== true || !caller.vpc || caller.resource.conditional) continue;
      if (link.via !== 'default-host' && link.via !== 'bare-id' && link.via !== 'iam') continue;
      // An id or a grant does not tell the hostname; where the API also has a custom domain (one of the app,
      // an imported one, SAM's Domain, or a mapping whose API cannot be told), it may be that.
      if (link.via !== 'default-host' && mayBeMapped(facts.mappedApis, api.resource.key)) continue;
      const endpoint = facts.endpoints.shadowing(caller.vpc, api.region);
      if (!endpoint || endpoint === 'unknown') continue;
      const messageId =
        link.via === 'default-host' ? 'shadowed' : link.via === 'bare-id' ? 'shadowedById' : 'shadowedByGrant';
      reports.push({
        messageId,
        level: link.via === 'default-host' ? 'error' : 'warning',
        data: {
          caller: callerLabel(caller),
          vpc: caller.vpc.name,
          endpoint: displayName(endpoint.resource),
          api: apiLabel(api),
          evidence: evidenceLabel(link),
        },
        resource: caller.resource,
        related: [api.resource, endpoint.resource],
        other: api.resource,
        location: link.location,
      });
    }
    return reports;
  },
});
