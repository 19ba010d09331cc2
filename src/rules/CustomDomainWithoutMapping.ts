import { defineRule, Report } from './define-rule';
import { domainLabel } from './labels';

type Messages = 'noMapping';

export default defineRule<Messages>({
  name: 'CustomDomainWithoutMapping',
  level: 'error',
  summary: 'A custom domain name (v1, v2 or private) has no base path mapping or API mapping.',
  explanation:
    'A custom domain name only forwards requests to the APIs mapped on it. Without any base path mapping (REST) or API mapping (HTTP, WebSocket, ' +
    'or REST through v2 mappings), API Gateway answers every request on the domain with 403 Forbidden.',
  troubleshooting: 'A custom domain name without a base path mapping → Forbidden',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html',
  since: '0.2.0',
  messages: {
    noMapping: {
      message: '{domain} maps no API: API Gateway answers every request on it with 403 Forbidden.',
      fix: 'Map an API stage on it (RegionalCustomDomain.addRestApi / addHttpApi, domain.addBasePathMapping(api), or apigwv2.ApiMapping).',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const d of facts.domains) {
      if (d.mappingResources.length > 0 || d.mappingsUncertain || d.resource.conditional) continue;
      reports.push({
        messageId: 'noMapping',
        data: { domain: domainLabel(d) },
        resource: d.resource,
        related: [],
        other: d.resource,
        location: 'Properties',
      });
    }
    return reports;
  },
});
