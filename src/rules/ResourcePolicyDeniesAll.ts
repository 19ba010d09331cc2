import { defineRule, Report } from './define-rule';
import { apiLabel } from './labels';
import { coversApi, wildcardMatch } from '../facts';

type Messages = 'deniesAll';

export default defineRule<Messages>({
  name: 'ResourcePolicyDeniesAll',
  level: 'error',
  summary:
    "A REST API's resource policy denies execute-api:Invoke to everyone, on every method, with no condition that could ever be false.",
  explanation:
    'An explicit Deny always wins in a resource policy. A Deny for Principal "*" on execute-api:Invoke over the whole API, with no condition, ' +
    'refuses every request with 403 "… with an explicit deny", whoever sends it and however it is signed.',
  troubleshooting: 'User: … is not authorized to perform: execute-api:Invoke … with an explicit deny',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html',
  since: '0.2.0',
  messages: {
    deniesAll: {
      message:
        "{api}'s resource policy has a Deny for everyone on execute-api:Invoke over the whole API with no condition: API Gateway answers every request " +
        'with 403 "… with an explicit deny".',
      fix: 'Give the Deny statement a condition that lets your callers through (e.g. StringNotEquals on aws:SourceVpce with your endpoints), or remove it.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const api of facts.apis) {
      if (api.kind !== 'REST' || api.resource.conditional) continue;
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || d.policy === undefined || d.policy === 'unknown') continue;
      const covers = coversApi(api);
      const denyAll = d.policy.some(
        (s) =>
          s.effect === 'Deny' &&
          !s.unreadable &&
          !s.notPrincipal &&
          s.principal?.anyone === true &&
          s.conditions.length === 0 &&
          !s.notActions &&
          s.actions.some((a) => wildcardMatch(a, 'execute-api:Invoke', true) === true) &&
          !s.notResources &&
          (s.resources.length === 0 || s.resources.some((r) => covers(r) === true)),
      );
      if (!denyAll) continue;
      reports.push({
        messageId: 'deniesAll',
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
