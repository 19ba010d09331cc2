import { defineRule, Report } from './define-rule';
import { apiLabel } from './labels';

type Messages = 'noPolicy' | 'bodyInS3';

export default defineRule<Messages>({
  name: 'PrivateApiWithoutResourcePolicy',
  level: 'error',
  summary: 'A private REST API has no resource policy.',
  explanation:
    'A private API can only be invoked when its resource policy allows it: without one, API Gateway denies every request, ' +
    'from every VPC endpoint, with 403 "User: anonymous is not authorized to perform: execute-api:Invoke".',
  troubleshooting: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html',
  since: '0.2.0',
  messages: {
    noPolicy: {
      message:
        'Private {api} has no resource policy. API Gateway denies every call to a private API that no resource policy allows: ' +
        'callers get 403 "User: anonymous is not authorized to perform: execute-api:Invoke".',
      fix:
        'Give {api} a resource policy that allows execute-api:Invoke from your execute-api endpoints: PrivateApiAccess.allow(api), ' +
        'or api.grantInvokeFromVpcEndpointsOnly([endpoint]), or a policy statement with a condition on aws:SourceVpce.',
    },
    bodyInS3: {
      message:
        'Private {api} has no Policy property and its OpenAPI definition is in S3 (BodyS3Location), which the app does not show: ' +
        'unless that definition carries x-amazon-apigateway-policy, API Gateway denies every call to the API with 403 ' +
        '"User: anonymous is not authorized to perform: execute-api:Invoke".',
      fix:
        'Check that the definition in S3 has an x-amazon-apigateway-policy that allows execute-api:Invoke from your execute-api endpoints, ' +
        'or give {api} a Policy property (the policy prop of SpecRestApi, PrivateApiAccess.allow(api)): it wins over the body.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const api of facts.apis) {
      if (api.endpointType !== 'PRIVATE' || api.resource.conditional) continue;
      const d = facts.apiDetails.get(api.resource.key);
      if (!d) continue;
      if (d.policy === 'unknown' && d.policyOnlyInS3Body) {
        // The definition is outside the app: the policy may be in it (RULES.md, "Bodies outside the app").
        reports.push({
          messageId: 'bodyInS3',
          level: 'warning',
          data: { api: apiLabel(api) },
          resource: api.resource,
          related: [],
          other: api.resource,
          location: 'Properties.BodyS3Location',
        });
        continue;
      }
      if (d.policy !== undefined) continue; // a policy, or one that cannot be known
      reports.push({
        messageId: 'noPolicy',
        data: { api: apiLabel(api) },
        resource: api.resource,
        related: [],
        other: api.resource,
        // The policy is missing: the API's properties are where it is to be added.
        location: 'Properties',
      });
    }
    return reports;
  },
});
