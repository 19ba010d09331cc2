import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, endpointsLabel } from './labels';
import { coversApi, evaluate, principalOf, throughEndpoint } from '../facts';

type Messages = 'excluded' | 'denied';

const FIX =
  "Allow {endpoint} in {api}'s resource policy: PrivateApiAccess.allow(api) for that endpoint, or add it to the aws:SourceVpce values " +
  '(with grantInvokeFromVpcEndpointsOnly, pass every endpoint in one call).';

export default defineRule<Messages>({
  name: 'PrivateApiPolicyExcludesCaller',
  level: 'error',
  summary: "A private API's resource policy leaves out the VPC endpoint or VPC that a caller of the app comes through.",
  explanation:
    "API Gateway evaluates the private API's resource policy for every request, with the endpoint (aws:SourceVpce) and VPC " +
    '(aws:SourceVpc) it came through. When no Allow statement covers them — or a Deny with StringNotEquals on them catches them, ' +
    'as grantInvokeFromVpcEndpointsOnly writes — the request is denied with 403.',
  troubleshooting: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html',
  since: '0.2.0',
  messages: {
    excluded: {
      message:
        "{api}'s resource policy allows no call through execute-api endpoint {endpoint}, which {caller} in VPC {vpc} comes through: " +
        'API Gateway denies its calls with 403 "User: anonymous is not authorized to perform: execute-api:Invoke".',
      fix: FIX,
    },
    denied: {
      message:
        "{api}'s resource policy explicitly denies calls through execute-api endpoint {endpoint}, which {caller} in VPC {vpc} comes through: " +
        'API Gateway answers 403 "… with an explicit deny".',
      fix: FIX,
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api } = link;
      if (
        !api ||
        api.endpointType !== 'PRIVATE' ||
        !caller.vpc ||
        caller.resource.conditional ||
        link.via === 'domain'
      ) {
        continue;
      }
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || d.policy === undefined || d.policy === 'unknown') continue;
      const endpoints = facts.endpoints.of(caller.vpc, api.region).filter((e) => !e.resource.conditional);
      if (endpoints.length === 0) continue; // rule 8's case
      const decisions = endpoints.map((e) =>
        evaluate(d.policy!, {
          action: 'execute-api:Invoke',
          resource: coversApi(api),
          principal: principalOf(caller, d.allMethodsUnsigned),
          context: throughEndpoint(e, caller.vpc),
        }),
      );
      if (!decisions.every((x) => x === 'explicit-deny' || x === 'implicit-deny')) continue;
      reports.push({
        messageId: decisions.includes('explicit-deny') ? 'denied' : 'excluded',
        data: {
          api: apiLabel(api),
          endpoint: endpointsLabel(endpoints),
          caller: callerLabel(caller),
          vpc: caller.vpc.name,
        },
        resource: api.resource,
        related: [caller.resource, ...endpoints.map((e) => e.resource)],
        other: caller.resource,
        location: d.policyLocation,
      });
    }
    return reports;
  },
});
