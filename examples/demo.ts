/**
 * `npm run demo`: synthesizes the bundled example app twice, broken and fixed, with the checks
 * registered as cdk-nag v3 teams do, and prints what `cdk synth` would report for each.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { buildBroken } from './payments/broken';
import { buildFixed } from './payments/fixed';
import { ApiReachabilityChecks } from '../src';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs: Array<{ constructPath: string }>;
}

function check(title: string, build: (app: App) => void): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-demo-'));
  const started = Date.now();
  console.log(`\n=== ${title} ===\n`);
  // CDK_VALIDATION=false in the environment would hide CDK's own CloudFormation checks, not ours.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
  let failed = false;
  try {
    app.synth();
  } catch {
    failed = true; // the report below says why
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : { pluginReports: [] };
  const violations: Violation[] = report.pluginReports
    .filter((p: { pluginName: string }) => p.pluginName === 'ApiReachability')
    .flatMap((p: { violations: Violation[] }) => p.violations);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // CDK itself printed the validation report above (to stderr), exactly as `cdk synth` shows it.
  console.log(`--- ${violations.length} finding(s); cdk synth ${failed ? 'FAILED' : 'passed'} (${seconds}s)`);
  for (const v of violations) {
    for (const c of v.violatingConstructs) console.log(`    [${v.severity === 'error' ? 'Error' : 'Warning'} at /${c.constructPath}] ${v.ruleName}`);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return violations.length;
}

const broken = check('broken app (examples/payments/broken.ts)', buildBroken);
const fixed = check('fixed app (examples/payments/fixed.ts)', buildFixed);
if (broken === 0 || fixed !== 0) {
  console.error(`\nUnexpected: the broken app should have findings and the fixed app none (broken ${broken}, fixed ${fixed}).`);
  process.exitCode = 1;
}
