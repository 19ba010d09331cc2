import { defineRule, Report } from './define-rule';
import { apiHostname, mayBeMapped } from '../facts';
import {
  apiLabel,
  callerLabel,
  evidenceLabel,
  linkLocation,
  resolutionLabel,
  resolutionResources,
  undoResolutionLabel,
} from './labels';

type Messages = 'shadowed' | 'shadowedById' | 'shadowedByGrant' | 'forwarded';

const FIX =
  'Call {api} through a regional custom domain published with a Route 53 A alias record (RegionalCustomDomain, then domain.urlFor(basePath)), ' +
  'or {undo}.';

export default defineRule<Messages>({
  name: 'PrivateDnsShadowsPublicApi',
  level: 'error',
  summary:
    'A caller in a VPC whose execute-api endpoint has private DNS on calls a public API (same region) on its default execute-api hostname.',
  explanation:
    'With private DNS on, an execute-api interface endpoint makes every *.execute-api.<region>.amazonaws.com name resolve, inside its VPC, ' +
    'to the endpoint. The endpoint only reaches private APIs, so API Gateway answers 403 Forbidden to every call to a public (edge, regional, ' +
    'HTTP or WebSocket) API made on its default hostname from that VPC. A VPC needs no endpoint of its own to fall into this: a Route 53 ' +
    "Profile can carry another VPC's endpoint and its private DNS, and a private hosted zone for execute-api names can alias them to a " +
    'shared endpoint. A Resolver rule that forwards these names to resolvers outside the app probably leads to such an endpoint too (a Warning).',
  troubleshooting: 'VPC endpoint can only reach private APIs (403 Forbidden)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
  since: '0.1.0',
  messages: {
    shadowed: {
      message:
        '{caller} runs in VPC {vpc}, {why}, and calls public {api} on its default hostname ({evidence}). ' +
        '{sends}, which only reaches private APIs: every call gets 403 Forbidden.',
      fix: FIX,
    },
    shadowedById: {
      message:
        '{caller} runs in VPC {vpc}, {why}, and is given the id of public {api} ({evidence}); ' +
        'if it builds the default hostname from that id, the call goes to {endpoint}, which only reaches private APIs: 403 Forbidden.',
      fix: FIX,
    },
    shadowedByGrant: {
      message:
        '{caller} runs in VPC {vpc}, {why}, and may invoke public {api} ({evidence}); ' +
        'called on its default hostname, the call goes to {endpoint}, which only reaches private APIs: 403 Forbidden.',
      fix: FIX,
    },
    forwarded: {
      message:
        '{caller} runs in VPC {vpc}, {why}, and calls public {api} on its default hostname ({evidence}). ' +
        'If those resolvers answer with a shared execute-api endpoint (the usual reason to forward these names), the call goes to an endpoint ' +
        'that only reaches private APIs: 403 Forbidden.',
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
      const resolved = facts.resolution.resolve(caller.vpc, apiHostname(api));
      if (resolved.kind !== 'endpoint' && resolved.kind !== 'forwarded') continue;
      const messageId =
        resolved.kind === 'forwarded'
          ? 'forwarded'
          : link.via === 'default-host'
            ? 'shadowed'
            : link.via === 'bare-id'
              ? 'shadowedById'
              : 'shadowedByGrant';
      const last = resolved.steps[resolved.steps.length - 1];
      const endpoint = resolved.kind === 'endpoint' ? resolved.endpoint.name : '';
      reports.push({
        messageId,
        level: link.via === 'default-host' && resolved.kind === 'endpoint' ? 'error' : 'warning',
        data: {
          caller: callerLabel(caller),
          vpc: caller.vpc.name,
          why: resolutionLabel(resolved),
          sends:
            last?.kind === 'private-dns' && !last.profile
              ? 'Private DNS sends that name to the endpoint'
              : `That name leads to execute-api endpoint ${endpoint}`,
          endpoint: resolved.kind === 'endpoint' ? `execute-api endpoint ${endpoint}` : '',
          undo: undoResolutionLabel(resolved),
          api: apiLabel(api),
          evidence: evidenceLabel(link),
        },
        resource: caller.resource,
        related: [api.resource, ...resolutionResources(resolved)],
        other: api.resource,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});
