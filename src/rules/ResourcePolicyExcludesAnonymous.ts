import { defineRule, Report } from './define-rule';
import { apiLabel, methodsLabel } from './labels';
import { coversApi, evaluate } from '../facts';

type Messages = 'anonymousDenied';

export default defineRule<Messages>({
  name: 'ResourcePolicyExcludesAnonymous',
  level: 'error',
  summary:
    'A method with NONE authorization sits on an API whose resource policy allows only callers with an AWS identity, so every unsigned request is denied.',
  explanation:
    'A request to a method with NONE authorization is not signed: API Gateway evaluates the resource policy for an anonymous principal, ' +
    'which has no account, role, user, tag or organization. A policy whose Allow statements name only AWS principals, or whose ' +
    'conditions need principal keys (aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalTag/…), never allows it: 403 ' +
    '"User: anonymous is not authorized to perform: execute-api:Invoke". Methods behind a Lambda or Cognito authorizer are outside ' +
    'this rule, as API Gateway combines those with the policy differently.',
  troubleshooting: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html',
  since: '0.2.0',
  messages: {
    anonymousDenied: {
      message:
        '{api} has NONE authorization on {methods}, but its resource policy allows only callers with an AWS identity: the unsigned ' +
        'requests these methods get are denied with 403 "User: anonymous is not authorized to perform: execute-api:Invoke".',
      fix:
        'Either sign the requests (authorizationType: AWS_IAM on the methods, and grant the callers execute-api:Invoke), or allow anonymous ' +
        'callers in the resource policy (Principal "*", narrowed with conditions on aws:SourceIp, aws:SourceVpce or aws:SourceVpc).',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const api of facts.apis) {
      if (api.kind !== 'REST' || api.resource.conditional) continue;
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || d.policy === undefined || d.policy === 'unknown' || !d.methodsKnown) continue;
      if (!d.policy.some((s) => s.effect === 'Allow')) continue;
      const open = d.methods.filter((m) => m.authorization === 'NONE');
      if (open.length === 0) continue;
      const ask = (principal: { kind: 'anonymous' } | { kind: 'aws' }) =>
        evaluate(d.policy!, {
          action: 'execute-api:Invoke',
          resource: coversApi(api),
          principal,
          context: new Map(),
        });
      const anonymous = ask({ kind: 'anonymous' });
      if (anonymous !== 'implicit-deny' && anonymous !== 'explicit-deny') continue;
      // A policy that denies signed callers as surely as anonymous ones denies everyone: ResourcePolicyDeniesAll's case.
      if (anonymous === 'explicit-deny' && ask({ kind: 'aws' }) === 'explicit-deny') continue;
      reports.push({
        messageId: 'anonymousDenied',
        data: { api: apiLabel(api), methods: methodsLabel(open) },
        resource: api.resource,
        related: open.flatMap((m) => (m.resource ? [m.resource] : [])),
        other: api.resource, // one finding per API, whatever methods it has: a stable id to acknowledge
        location: d.policyLocation,
      });
    }
    return reports;
  },
});
