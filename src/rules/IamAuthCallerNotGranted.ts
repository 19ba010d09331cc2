import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, displayName, evidenceLabel, linkLocation } from './labels';
import { coversApi, evaluate } from '../facts';

type Messages = 'notGranted' | 'denied';

const FIX =
  "Allow execute-api:Invoke on {api} in {role}'s policies: method.grantExecute(role) for each method it calls, or " +
  "role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi()] })).";

export default defineRule<Messages>({
  name: 'IamAuthCallerNotGranted',
  level: 'error',
  summary:
    'A caller calls an API whose methods all use AWS_IAM authorization while no policy of its role allows execute-api:Invoke on it.',
  explanation:
    'For a method with AWS_IAM authorization, API Gateway checks the signed caller against IAM: without an identity policy that allows ' +
    'execute-api:Invoke on the method (and no resource policy that allows the caller), the request is denied with 403 ' +
    '"User: <arn> is not authorized to perform: execute-api:Invoke".',
  troubleshooting: 'User: <arn> is not authorized to perform: execute-api:Invoke on resource',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html',
  since: '0.2.0',
  messages: {
    notGranted: {
      message:
        '{caller} calls {api} ({evidence}), whose methods all require AWS_IAM authorization, but no identity policy of its role {role} allows ' +
        'execute-api:Invoke on it: API Gateway answers 403 "User: … is not authorized to perform: execute-api:Invoke".',
      fix: FIX,
    },
    denied: {
      message:
        '{caller} calls {api} ({evidence}), whose methods all require AWS_IAM authorization, but an identity policy of its role {role} denies ' +
        'execute-api:Invoke on it: API Gateway answers 403 "… with an explicit deny".',
      fix: 'Remove or narrow the Deny statement on execute-api:Invoke in the policies of {role}.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api } = link;
      if (!api || caller.resource.conditional || link.evidence === 'iam') continue;
      const d = facts.apiDetails.get(api.resource.key);
      // A resource policy may grant the role on its own (same account): then identity policies do not decide.
      if (!d || d.policy !== undefined || !d.allMethodsIam) continue;
      // Exactly one role, of the app: an imported role's policies are not in the app.
      if (caller.roles.length !== 1) continue;
      const role = facts.roles.roleOf(caller.roles[0]);
      if (!role) continue;
      const decision = evaluate(facts.roles.identityPolicy(role.key), {
        action: 'execute-api:Invoke',
        resource: coversApi(api),
        principal: { kind: 'aws', identity: caller.roles[0] },
        context: new Map(),
      });
      if (decision !== 'implicit-deny' && decision !== 'explicit-deny') continue;
      reports.push({
        messageId: decision === 'explicit-deny' ? 'denied' : 'notGranted',
        data: {
          caller: callerLabel(caller),
          api: apiLabel(api),
          evidence: evidenceLabel(link),
          role: displayName(role),
        },
        resource: caller.resource,
        related: [api.resource, role],
        other: api.resource,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});
