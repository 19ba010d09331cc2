import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, evidenceLabel, linkLocation } from './labels';
import { mayBeMapped } from '../facts';

type Messages = 'calledDisabled' | 'unreachable';

export default defineRule<Messages>({
  name: 'DefaultEndpointDisabledButCalled',
  level: 'error',
  summary:
    'A caller uses the default execute-api URL of an API whose default endpoint is disabled; or the default endpoint is disabled and no custom domain of the app maps the API.',
  explanation:
    'With DisableExecuteApiEndpoint, API Gateway refuses every request to {api-id}.execute-api.{region}.amazonaws.com with 403 Forbidden: ' +
    'the API can only be called through a custom domain that maps it.',
  troubleshooting: 'A custom domain name is used and the default execute-api endpoint is disabled → Forbidden',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html',
  since: '0.2.0',
  messages: {
    calledDisabled: {
      message:
        "{caller} calls {api} on its default execute-api hostname ({evidence}), but the API's default endpoint is disabled: every such call gets 403 Forbidden.",
      fix: 'Call {api} through the custom domain that maps it (e.g. RegionalCustomDomain.urlFor(basePath)), or re-enable the default endpoint.',
    },
    unreachable: {
      message:
        "{api}'s default endpoint is disabled and no custom domain of this app maps it: unless a domain of another app does, nothing can call it.",
      fix: 'Map {api} on a custom domain (RegionalCustomDomain.addRestApi / addHttpApi), or re-enable the default endpoint.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    const disabled = (key: string) => facts.apiDetails.get(key)?.defaultEndpointDisabled === true;
    for (const link of facts.calls) {
      const { caller, api } = link;
      if (!api || link.via !== 'default-host' || caller.resource.conditional || !disabled(api.resource.key)) continue;
      reports.push({
        messageId: 'calledDisabled',
        data: { caller: callerLabel(caller), api: apiLabel(api), evidence: evidenceLabel(link) },
        resource: caller.resource,
        related: [api.resource],
        other: api.resource,
        ...linkLocation(link),
      });
    }
    for (const api of facts.apis) {
      if (!disabled(api.resource.key) || mayBeMapped(facts.mappedApis, api.resource.key) || api.resource.conditional) {
        continue;
      }
      reports.push({
        messageId: 'unreachable',
        level: 'warning',
        data: { api: apiLabel(api) },
        resource: api.resource,
        related: [],
        other: api.resource,
        location: 'Properties.DisableExecuteApiEndpoint',
      });
    }
    return reports;
  },
});
