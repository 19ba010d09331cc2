import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, endpointsLabel, evidenceLabel, linkLocation } from './labels';
import { apiHostname } from '../facts';

type Messages = 'noEndpoint' | 'privateDnsOff';

export default defineRule<Messages>({
  name: 'PrivateApiUnreachable',
  level: 'error',
  summary:
    'A caller calls a private API on its default hostname from a VPC whose execute-api endpoint has private DNS off, or from a VPC with no execute-api endpoint.',
  explanation:
    "A private API's default hostname {api-id}.execute-api.{region}.amazonaws.com only leads to the API through an execute-api endpoint with " +
    'private DNS on. Without it the name resolves to public addresses, where API Gateway does not serve the private API: the call fails ' +
    '(403 Forbidden). With private DNS off, use the endpoint-specific hostname {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com, the Host or ' +
    'x-apigw-api-id header, or a Route 53 alias. The name leads to an endpoint just as well when a Route 53 Profile carries an endpoint ' +
    'with private DNS on, or a private hosted zone associated with the VPC aliases it to a shared endpoint (the hub-and-spoke pattern): ' +
    'no finding there.',
  troubleshooting: 'Invoking a private API using public DNS names incorrectly',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html',
  since: '0.2.0',
  messages: {
    noEndpoint: {
      message:
        '{caller} calls private {api} on its default hostname ({evidence}), but VPC {vpc} has no execute-api interface endpoint, and no Route 53 ' +
        'Profile or private hosted zone of the app answers that name inside it: the name resolves to public addresses, where the private API cannot be called.',
      fix: "Add an execute-api endpoint to VPC {vpc} (PrivateApiAccess), allow it in the API's resource policy, and call the URL that allow(api) returns.",
    },
    privateDnsOff: {
      message:
        '{caller} calls private {api} on its default hostname ({evidence}), but the execute-api endpoint {endpoint} of VPC {vpc} has private DNS off, ' +
        'and no Route 53 Profile or private hosted zone of the app answers that name inside it: the name resolves to public addresses, where the ' +
        'private API cannot be called.',
      fix:
        'Call the endpoint-specific hostname instead (PrivateApiAccess.allow(api) returns it: https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com/{stage}/), ' +
        'or turn private DNS on for {endpoint} if no caller in the VPC calls public APIs on their default hostname.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api } = link;
      if (
        !api ||
        api.endpointType !== 'PRIVATE' ||
        link.via !== 'default-host' ||
        !caller.vpc ||
        caller.resource.conditional
      ) {
        continue;
      }
      // Only a name that resolves to public DNS misses the API; an endpoint (its own, a Profile's, a zone's
      // alias), a name that does not resolve at all (rule 20), a forwarding rule or an unknown: not this rule's.
      const resolved = facts.resolution.resolve(caller.vpc, apiHostname(api));
      if (resolved.kind !== 'public' || resolved.steps.length > 0) continue;
      const endpoints = facts.endpoints.of(caller.vpc, api.region);
      const data = {
        caller: callerLabel(caller),
        api: apiLabel(api),
        evidence: evidenceLabel(link),
        vpc: caller.vpc.name,
      };
      if (endpoints.length === 0) {
        // Only a VPC of the app shows all its endpoints; an imported VPC may have one made elsewhere.
        if (!caller.vpc.inApp) continue;
        reports.push({
          messageId: 'noEndpoint',
          data,
          resource: caller.resource,
          related: [api.resource],
          other: api.resource,
          ...linkLocation(link),
        });
      } else if (endpoints.every((e) => e.privateDns === false && !e.resource.conditional)) {
        reports.push({
          messageId: 'privateDnsOff',
          data: { ...data, endpoint: endpointsLabel(endpoints) },
          resource: caller.resource,
          related: [api.resource, ...endpoints.map((e) => e.resource)],
          other: api.resource,
          ...linkLocation(link),
        });
      }
    }
    return reports;
  },
});
