/**
 * The user's source file and line for a finding, from the creation stack traces a cloud assembly
 * carries (`aws:cdk:creationStack` entries, written unless `aws:cdk:disable-creation-stack-traces`
 * is set, or in debug mode; older versions put a `trace` on the `aws:cdk:logicalId` entry).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { userFrame } from '../../src/graph/from-cloud-assembly';
import { scenario } from '../fixtures/apps/scenario';

const CWD = path.resolve(__dirname, '..', '..');

function run(args: string[]): { code: number; stdout: string } {
  let stdout = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: () => undefined, isTTY: false, env: {}, cwd: CWD });
  return { code, stdout };
}

/** Synthesizes the scenario app; with `traces: false`, creation stack traces are turned off by context. */
function synth(traces: boolean): string {
  const before = process.env.CDK_CONTEXT_JSON;
  if (!traces) process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true });
  try {
    const { app } = scenario();
    app.synth({ force: true });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-trace-')), 'cdk.out');
    fs.cpSync(app.outdir, out, { recursive: true });
    return out;
  } finally {
    if (before === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = before;
  }
}

describe('userFrame', () => {
  test.each([
    [
      [
        'new Function (/app/node_modules/aws-cdk-lib/aws-lambda/lib/function.js:1:99)',
        'new Svc (/app/lib/svc.ts:12:5)',
      ],
      { file: '/app/lib/svc.ts', line: 12, column: 5 },
    ],
    [['at new Svc (/app/lib/svc.ts:3:7)'], { file: '/app/lib/svc.ts', line: 3, column: 7 }],
    [['at /app/bin/app.js:40:1'], { file: '/app/bin/app.js', line: 40, column: 1 }],
    [['Object.<anonymous> (file:///app/bin/app.mjs:2:3)'], { file: '/app/bin/app.mjs', line: 2, column: 3 }],
    [['new Svc (C:\\app\\lib\\svc.ts:8:9)'], { file: 'C:\\app\\lib\\svc.ts', line: 8, column: 9 }],
  ])('%j', (trace, frame) => {
    expect(userFrame(trace)).toEqual(frame);
  });

  test.each([
    [undefined],
    ['not a list'],
    [[]],
    [
      [
        'Module._compile (node:internal/modules/cjs/loader:1554:14)',
        'new X (/a/node_modules/b.js:1:1)',
        'new <anonymous>:1:1',
        42,
      ],
    ],
  ])('no user frame in %j', (trace) => {
    expect(userFrame(trace)).toBeUndefined();
  });
});

describe('check on a cdk.out with creation stack traces (CDK records them by default)', () => {
  test('text, JSON, SARIF and GitHub name where the user created the resource', () => {
    const out = synth(true);
    const json = JSON.parse(run(['check', '--format', 'json', out]).stdout);
    const finding = json.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'ApiReachability-PrivateDnsShadowsPublicApi',
    );
    expect(finding.source).toEqual({
      file: expect.stringMatching(/test[\\/]fixtures[\\/]apps[\\/]scenario\.ts$/),
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(finding.source.line).toBeGreaterThan(0);
    const src = `${path.relative(CWD, finding.source.file)}:${finding.source.line}:${finding.source.column}`;

    expect(run(['check', out]).stdout).toContain(`created at ${src}`);

    const sarif = JSON.parse(run(['check', '--format', 'sarif', out]).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === finding.ruleId);
    expect(result.locations).toHaveLength(2);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/\.template\.json$/);
    expect(result.locations[1].physicalLocation).toEqual({
      artifactLocation: { uri: path.relative(CWD, finding.source.file).split(path.sep).join('/') },
      region: { startLine: finding.source.line, startColumn: finding.source.column },
    });

    const github = run(['check', '--format', 'github', out]).stdout;
    expect(github).toContain(
      `file=${path.relative(CWD, finding.source.file)},line=${finding.source.line},col=${finding.source.column},title=${finding.ruleId}`,
    );
  });

  test('with creation stack traces turned off there is no source location', () => {
    const out = synth(false);
    const json = JSON.parse(run(['check', '--format', 'json', out]).stdout);
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.findings.every((f: { source: unknown }) => f.source === null)).toBe(true);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', out]).stdout);
    expect(sarif.runs[0].results.every((r: { locations: unknown[] }) => r.locations.length === 1)).toBe(true);
  });
});
