/** The bundled example (`npm run demo`): the broken app fails the checks, the fixed one passes. */
import { buildBroken } from '../examples/payments/broken';
import { buildFixed } from '../examples/payments/fixed';
import { newApp } from './fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from './fixtures/helpers';

describe('the bundled example app', () => {
  test('broken: the Lambda and the Fargate service are reported for both public APIs they call, and so is the spoke Lambda', () => {
    const app = newApp();
    buildBroken(app);
    expect(findings(app).map((f) => [f.ruleName, f.level, f.resource.path, f.findingId])).toEqual([
      ['PrivateDnsShadowsPublicApi', 'error', 'Svc/Ledger/Resource', 'Svc/PaymentsApi/Resource'],
      ['PrivateDnsShadowsPublicApi', 'error', 'Svc/OrderSync/Resource', 'Svc/OrdersApi/Resource'],
      ['PrivateDnsShadowsPublicApi', 'error', 'Svc/OrderSync/Resource', 'Svc/PaymentsApi/Resource'],
      ['PrivateDnsShadowsPublicApi', 'error', 'Svc/Worker/Service', 'Svc/OrdersApi/Resource'],
    ]);
  });

  test("broken: the spoke Lambda's finding names the Route 53 Profile that carries the hub's endpoint to its VPC", () => {
    const app = newApp();
    buildBroken(app);
    const ledger = findings(app).find((f) => f.resource.path === 'Svc/Ledger/Resource');
    expect(ledger?.message).toContain('VPC Net/SpokeVpc, where Route 53 Profile Net/SharedDns');
    expect(ledger?.message).toContain('carries execute-api endpoint Net/Vpc/ExecuteApi of VPC Net/Vpc');
  });

  test('fixed: no finding, from the construct tree and from the synthesized cloud assembly', () => {
    const app = newApp();
    buildFixed(app);
    expect(findings(app)).toEqual([]);
    const again = newApp();
    buildFixed(again);
    expect(findingsFromAssembly(again).map(summary)).toEqual([]);
  });
});
