import { defineRule, Report } from './define-rule';
import { callerLabel, evidenceLabel, displayName } from './labels';

type Messages = 'shadowedUnknown';

export default defineRule<Messages>({
  name: 'PrivateDnsShadowsUnknownApi',
  level: 'warning',
  summary:
    'A caller in a VPC whose execute-api endpoint has private DNS on calls a default execute-api hostname of an API the app does not define, so its type is unknown.',
  explanation:
    'With private DNS on, every *.execute-api.<region>.amazonaws.com name resolves inside the VPC to the endpoint, which only reaches private ' +
    'APIs. The app calls an API it does not define, so whether that API is private cannot be told: if it is public, every call gets 403 Forbidden.',
  troubleshooting: 'VPC endpoint can only reach private APIs (403 Forbidden)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
  since: '0.1.0',
  messages: {
    shadowedUnknown: {
      message:
        '{caller} runs in VPC {vpc}, where execute-api endpoint {endpoint} has private DNS on, and calls {host}, an API this app does not define ({evidence}). ' +
        'If that API is public, private DNS sends the call to the endpoint, which only reaches private APIs: every call gets 403 Forbidden.',
      fix:
        'If {host} is a public API, call it through a custom domain published with an A alias record, or set privateDnsEnabled: false on {endpoint}. ' +
        'If it is a private API that this endpoint may reach, acknowledge this finding.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, external } = link;
      if (!external || !caller.vpc || caller.resource.conditional) continue;
      const endpoint = facts.endpoints.shadowing(caller.vpc, external.region);
      if (!endpoint || endpoint === 'unknown') continue;
      reports.push({
        messageId: 'shadowedUnknown',
        data: {
          caller: callerLabel(caller),
          vpc: caller.vpc.name,
          endpoint: displayName(endpoint.resource),
          host: external.host,
          evidence: evidenceLabel(link),
        },
        resource: caller.resource,
        related: [endpoint.resource],
        other: external.host,
        location: link.location,
      });
    }
    return reports;
  },
});
