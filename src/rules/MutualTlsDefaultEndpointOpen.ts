import { defineRule, Report } from './define-rule';
import { apiLabel, domainLabel } from './labels';

type Messages = 'bypass';

export default defineRule<Messages>({
  name: 'MutualTlsDefaultEndpointOpen',
  level: 'warning',
  summary: 'A custom domain requires mutual TLS while the API it maps keeps its default execute-api endpoint enabled.',
  explanation:
    'Mutual TLS is enforced by the custom domain only. While the default {api-id}.execute-api.{region}.amazonaws.com endpoint stays ' +
    'enabled, clients can call the API there without a client certificate, going around mutual TLS. AWS recommends disabling the ' +
    'default endpoint of APIs behind a mutual TLS domain. This is a security finding, not a 403.',
  troubleshooting: '— (the opposite failure: clients can skip mutual TLS)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html',
  since: '0.2.0',
  messages: {
    bypass: {
      message:
        '{domain} requires mutual TLS, but {api}, which it maps, keeps its default execute-api endpoint enabled: clients can call the API there ' +
        'without a client certificate.',
      fix: 'Disable the default endpoint of {api} (disableExecuteApiEndpoint: true) so that every call goes through {domain}.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const domain of facts.domains) {
      if (!domain.mtls || domain.resource.conditional) continue;
      const seen = new Set<string>();
      for (const m of domain.mappings) {
        const api = m.api;
        if (seen.has(api.resource.key)) continue; // one finding per API, however many routes lead to it
        seen.add(api.resource.key);
        if (api.resource.conditional || facts.apiDetails.get(api.resource.key)?.defaultEndpointDisabled !== false) {
          continue;
        }
        reports.push({
          messageId: 'bypass',
          data: { domain: domainLabel(domain), api: apiLabel(api) },
          resource: api.resource,
          related: [domain.resource, m.resource],
          other: domain.resource,
          // The property to set when it is there (false); else the API's properties, where it is to be added.
          location:
            api.resource.properties.DisableExecuteApiEndpoint !== undefined
              ? 'Properties.DisableExecuteApiEndpoint'
              : 'Properties',
        });
      }
    }
    return reports;
  },
});
