import { defineRule, Report } from './define-rule';
import {
  callerLabel,
  evidenceLabel,
  linkLocation,
  resolutionLabel,
  resolutionResources,
  undoResolutionLabel,
} from './labels';
import { leadsThroughZoneOf, literalName } from '../facts';

type Messages = 'shadowedUnknown';

export default defineRule<Messages>({
  name: 'PrivateDnsShadowsUnknownApi',
  level: 'warning',
  summary:
    'A caller in a VPC whose execute-api endpoint has private DNS on calls a default execute-api hostname of an API the app does not define, so its type is unknown.',
  explanation:
    'With private DNS on, every *.execute-api.<region>.amazonaws.com name resolves inside the VPC to the endpoint, which only reaches private ' +
    'APIs. The app calls an API it does not define, so whether that API is private cannot be told: if it is public, every call gets 403 Forbidden. ' +
    'The name resolves to an endpoint in the same way when a Route 53 Profile carries one, or a private hosted zone for execute-api names ' +
    'aliases it to one. A private hosted zone made for that one API (the hub-and-spoke pattern for private APIs) says the API is private: ' +
    'no finding.',
  troubleshooting: 'VPC endpoint can only reach private APIs (403 Forbidden)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
  since: '0.1.0',
  messages: {
    shadowedUnknown: {
      message:
        '{caller} runs in VPC {vpc}, {why}, and calls {host}, an API this app does not define ({evidence}). ' +
        'If that API is public, {sends}, which only reaches private APIs: every call gets 403 Forbidden.',
      fix:
        'If {host} is a public API, call it through a custom domain published with an A alias record, or {undo}. ' +
        'If it is a private API that {endpoint} may reach, acknowledge this finding.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, external } = link;
      if (!external || !caller.vpc || caller.resource.conditional) continue;
      const name = literalName(external.host);
      // A forwarding rule on top of an API of unknown type is two guesses: only a proven endpoint counts.
      const resolved = facts.resolution.resolve(caller.vpc, name);
      if (resolved.kind !== 'endpoint' || leadsThroughZoneOf(resolved, name)) continue;
      const last = resolved.steps[resolved.steps.length - 1];
      reports.push({
        messageId: 'shadowedUnknown',
        data: {
          caller: callerLabel(caller),
          vpc: caller.vpc.name,
          why: resolutionLabel(resolved),
          sends:
            last?.kind === 'private-dns' && !last.profile
              ? 'private DNS sends the call to the endpoint'
              : `the call goes to execute-api endpoint ${resolved.endpoint.name}`,
          endpoint: resolved.endpoint.name,
          undo: undoResolutionLabel(resolved),
          host: external.host,
          evidence: evidenceLabel(link),
        },
        resource: caller.resource,
        related: resolutionResources(resolved),
        other: external.host,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});
