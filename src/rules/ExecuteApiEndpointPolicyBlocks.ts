import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, displayName } from './labels';
import { coversApi, evaluate, principalOf, throughEndpoint } from '../facts';

type Messages = 'blocked';

export default defineRule<Messages>({
  name: 'ExecuteApiEndpointPolicyBlocks',
  level: 'error',
  summary: "An execute-api endpoint's own policy leaves out a private API that callers of the app reach through it.",
  explanation:
    'A VPC endpoint policy is evaluated for every request that goes through the endpoint, before API Gateway sees it. When the policy ' +
    "does not allow execute-api:Invoke on the API (or denies it), the request is refused with 403, whatever the API's own resource policy says.",
  troubleshooting: 'explicit deny / implicit deny by the VPC endpoint policy',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-endpoint-policies.html',
  since: '0.2.0',
  messages: {
    blocked: {
      message:
        "Execute-api endpoint {endpoint}'s policy does not allow execute-api:Invoke on private {api}, which {caller} calls through it: " +
        'the endpoint refuses those calls with 403 before API Gateway sees them.',
      fix: "Add {api} to {endpoint}'s policy (a statement allowing execute-api:Invoke on its ARN, e.g. api.arnForExecuteApi()), or remove the endpoint policy.",
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api } = link;
      if (!api || api.endpointType !== 'PRIVATE' || !caller.vpc || caller.resource.conditional) continue;
      if (link.via !== 'default-host' && link.via !== 'endpoint-host') continue;
      const endpoints = facts.endpoints.of(caller.vpc, api.region);
      // The endpoint the call goes through: the private-DNS one for the default hostname, the only one otherwise.
      const through = link.via === 'default-host' ? endpoints.filter((e) => e.privateDns === true) : endpoints;
      if (through.length !== 1) continue;
      const endpoint = through[0];
      if (!endpoint.policy || endpoint.policy === 'unknown') continue;
      const d = facts.apiDetails.get(api.resource.key);
      const decision = evaluate(endpoint.policy, {
        action: 'execute-api:Invoke',
        resource: coversApi(api),
        principal: principalOf(caller, d?.allMethodsUnsigned ?? false),
        context: throughEndpoint(endpoint, caller.vpc),
      });
      if (decision !== 'explicit-deny' && decision !== 'implicit-deny') continue;
      reports.push({
        messageId: 'blocked',
        data: { endpoint: displayName(endpoint.resource), api: apiLabel(api), caller: callerLabel(caller) },
        resource: endpoint.resource,
        related: [api.resource, caller.resource],
        other: api.resource,
        location: 'Properties.PolicyDocument',
      });
    }
    return reports;
  },
});
