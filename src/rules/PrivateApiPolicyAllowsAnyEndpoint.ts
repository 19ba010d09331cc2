import { defineRule, Report } from './define-rule';
import { apiLabel } from './labels';
import { coversApi, evaluate, fromStranger } from '../facts';

type Messages = 'open';

export default defineRule<Messages>({
  name: 'PrivateApiPolicyAllowsAnyEndpoint',
  level: 'warning',
  summary:
    'A private API allows execute-api:Invoke to everyone with no condition on aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID or aws:SourceAccount.',
  explanation:
    'A private API is reachable from any interface VPC endpoint for execute-api, in any account, that its resource policy does not ' +
    'keep out. A policy that allows Principal "*" without a condition on the source endpoint, VPC, organization or account lets every ' +
    'such endpoint call the API. This is the opposite failure of a 403: too open.',
  troubleshooting: '— (the opposite failure: the API is open to every VPC endpoint)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html',
  since: '0.2.0',
  messages: {
    open: {
      message:
        "Private {api}'s resource policy allows execute-api:Invoke to everyone, whatever endpoint, VPC, account or organization the call comes from: " +
        'any execute-api VPC endpoint in any AWS account can call it.',
      fix:
        'Allow only your endpoints: PrivateApiAccess.allow(api), api.grantInvokeFromVpcEndpointsOnly([endpoint]), or a condition on aws:SourceVpce, ' +
        'aws:SourceVpc or aws:PrincipalOrgID in the Allow statement.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const api of facts.apis) {
      if (api.endpointType !== 'PRIVATE' || api.resource.conditional) continue;
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || d.policy === undefined || d.policy === 'unknown') continue;
      const decision = evaluate(d.policy, {
        action: 'execute-api:Invoke',
        resource: coversApi(api),
        principal: { kind: 'stranger' },
        context: fromStranger(),
      });
      if (decision !== 'allow') continue;
      reports.push({
        messageId: 'open',
        data: { api: apiLabel(api) },
        resource: api.resource,
        related: [],
        other: api.resource,
        location: d.policyLocation,
      });
    }
    return reports;
  },
});
