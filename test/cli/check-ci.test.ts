/**
 * `check` for CI gates: the JUnit and GitHub formats, baselines, parameters, --out, and SARIF
 * validated against the published SARIF 2.1.0 schema.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOMParser } from '@xmldom/xmldom';
import Ajv from 'ajv';
import { main } from '../../src/cli/main';

const FIXTURES = path.join(__dirname, 'fixtures');
const CWD = path.resolve(__dirname, '..', '..');
const rel = (f: string) => path.relative(CWD, path.join(FIXTURES, f));
const RULE = 'ApiReachability-PrivateDnsShadowsPublicApi';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[]): Run {
  let stdout = '';
  let stderr = '';
  const code = main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    env: {},
    cwd: CWD,
  });
  return { code, stdout, stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-ci-'));
}

/** failing.yaml with its endpoint's private DNS (and nothing else) taken from parameters. */
function parameterizedTemplate(dir: string, privateDnsType = 'String'): string {
  const text = fs
    .readFileSync(path.join(FIXTURES, 'failing.yaml'), 'utf-8')
    .replace('PrivateDnsEnabled: true', 'PrivateDnsEnabled: !Ref PrivateDns')
    .replace(
      'Resources:\n',
      `Parameters:\n  PrivateDns:\n    Type: ${privateDnsType}\n    Default: 'false'\n  Zones:\n    Type: CommaDelimitedList\n    Default: a,b\nResources:\n`,
    );
  const file = path.join(dir, 'param.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const readJson = (module: string) => JSON.parse(fs.readFileSync(require.resolve(module), 'utf-8'));
// The published schema, as the @microsoft/jest-sarif package ships it (draft-04, hence ajv 6's meta-schema).
const sarifSchema = readJson('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const draft4 = readJson('ajv/lib/refs/json-schema-draft-04.json');

function sarifErrors(log: unknown): string[] {
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(draft4);
  const validate = ajv.compile(sarifSchema);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
}

describe('SARIF against the published SARIF 2.1.0 schema', () => {
  test.each([
    ['a failing YAML template', () => [rel('failing.yaml')]],
    ['a passing folder', () => [rel('passing')]],
    ['two templates at once', () => [rel('failing.json'), rel('failing.yaml')]],
  ])('%s', (_name, inputs) => {
    const r = run(['check', '--format', 'sarif', ...inputs()]);
    expect(r.stderr).toBe('');
    expect(sarifErrors(JSON.parse(r.stdout))).toEqual([]);
  });

  test('the schema rejects a broken log (the validation can fail)', () => {
    const log = JSON.parse(run(['check', '--format', 'sarif', rel('failing.json')]).stdout);
    log.runs[0].results[0].level = 'fatal';
    expect(sarifErrors(log).length).toBeGreaterThan(0);
  });

  test('with a baseline, results carry baselineState and stay valid', () => {
    const dir = tempDir();
    const baseline = path.join(dir, 'baseline.json');
    run(['check', '--write-baseline', baseline, rel('failing.json')]);
    const r = run(['check', '--format', 'sarif', '--baseline', baseline, rel('failing.json')]);
    const log = JSON.parse(r.stdout);
    expect(log.runs[0].results.map((x: { baselineState: string }) => x.baselineState)).toEqual(['unchanged']);
    expect(sarifErrors(log)).toEqual([]);
  });
});

describe('--format junit', () => {
  test('a suite per rule, a failed case per rule × resource, a passing case for a rule that found nothing', () => {
    const r = run(['check', '--format', 'junit', rel('failing.json')]);
    expect(r.code).toBe(1);
    const doc = new DOMParser().parseFromString(r.stdout, 'text/xml');
    const suites = Array.from(doc.getElementsByTagName('testsuite'));
    expect(suites.length).toBe(JSON.parse(run(['--list-rules', '--format', 'json']).stdout).rules.length);
    const failing = suites.find((s) => s.getAttribute('name') === RULE)!;
    expect(failing.getAttribute('failures')).toBe('1');
    const testcase = failing.getElementsByTagName('testcase')[0];
    expect(testcase.getAttribute('name')).toBe('failing/Fn');
    expect(testcase.getAttribute('file')).toBe(rel('failing.json'));
    expect(Number(testcase.getAttribute('line'))).toBeGreaterThan(1);
    const failure = testcase.getElementsByTagName('failure')[0];
    expect(failure.getAttribute('type')).toBe('error');
    expect(failure.getAttribute('message')).toContain(`${RULE}[failing/Api]`);
    expect(failure.textContent).toContain('Fix: ');
    const quiet = suites.find((s) => s.getAttribute('name') === 'ApiReachability-ApiKeyWithoutUsagePlan')!;
    expect(quiet.getAttribute('failures')).toBe('0');
    expect(quiet.getElementsByTagName('testcase')[0].getAttribute('name')).toBe('no findings');
    const root = doc.getElementsByTagName('testsuites')[0];
    expect(root.getAttribute('failures')).toBe('1');
    expect(Number(root.getAttribute('tests'))).toBe(suites.length);
  });

  test('findings below --fail-on pass, with the finding in system-out', () => {
    const r = run(['check', '--format', 'junit', '--fail-on', 'never', rel('failing.json')]);
    expect(r.code).toBe(0);
    const doc = new DOMParser().parseFromString(r.stdout, 'text/xml');
    expect(doc.getElementsByTagName('failure').length).toBe(0);
    const out = Array.from(doc.getElementsByTagName('system-out')).map((e) => e.textContent);
    expect(out.join('\n')).toContain(`${RULE}[failing/Api] (error)`);
  });

  test('XML special characters are escaped', () => {
    const dir = tempDir();
    const text = fs.readFileSync(path.join(FIXTURES, 'failing.json'), 'utf-8');
    const file = path.join(dir, 'a&b<c>.json');
    fs.writeFileSync(file, text);
    const r = run(['check', '--format', 'junit', file]);
    const doc = new DOMParser({
      onError: (level: string, msg: string) => {
        throw new Error(`${level}: ${msg}`);
      },
    } as never).parseFromString(r.stdout, 'text/xml');
    expect(doc.getElementsByTagName('testcase').length).toBeGreaterThan(0);
    expect(r.stdout).toContain('a&amp;b&lt;c&gt;');
  });
});

describe('--format github', () => {
  test('one workflow command per finding on its file and line, then the summary', () => {
    const r = run(['check', '--format', 'github', rel('failing.yaml')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const line =
      fs
        .readFileSync(path.join(FIXTURES, 'failing.yaml'), 'utf-8')
        .split('\n')
        .findIndex((l) => l.includes('URL: !Sub')) + 1;
    expect(lines[0]).toMatch(
      new RegExp(
        `^::error file=${rel('failing.yaml').replace(/[.]/g, '\\.')},line=${line},col=11,endLine=\\d+,title=${RULE}\\[failing/Api\\]::`,
      ),
    );
    // Newlines of the message are escaped: one annotation is one line.
    expect(lines[0]).toContain('%0AFix: ');
    expect(lines[1]).toBe('1 error, 0 warnings, 1 file');
  });

  test('commas and colons in properties are escaped', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a,b:c.json');
    fs.copyFileSync(path.join(FIXTURES, 'failing.json'), file);
    const r = run(['check', '--format', 'github', file]);
    expect(r.stdout).toContain('a%2Cb%3Ac.json,line=');
  });
});

describe('baselines', () => {
  function setup() {
    const dir = tempDir();
    const other = path.join(dir, 'other.yaml');
    fs.copyFileSync(path.join(FIXTURES, 'failing.yaml'), other);
    return { dir, other, baseline: path.join(dir, 'baseline.json') };
  }

  test('round trip: written findings are known; a new one fails; a gone one is reported fixed', () => {
    const { other, baseline } = setup();
    const written = run(['check', '--write-baseline', baseline, rel('failing.json')]);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('wrote 1 finding(s) to the baseline');
    const file = JSON.parse(fs.readFileSync(baseline, 'utf-8'));
    expect(file.version).toBe(1);
    expect(file.findings).toEqual([
      expect.objectContaining({ ruleId: RULE, findingId: 'failing/Api', stack: 'failing', logicalId: 'Fn' }),
    ]);

    const same = run(['check', '--baseline', baseline, rel('failing.json')]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`${RULE}[failing/Api] (in the baseline)`);
    expect(same.stdout.trim().split('\n').pop()).toBe('1 error, 0 warnings, 1 file; 0 new, 1 in the baseline, 0 fixed');

    const more = run(['check', '--baseline', baseline, '--format', 'json', rel('failing.json'), other]);
    expect(more.code).toBe(1);
    const doc = JSON.parse(more.stdout);
    expect(
      doc.findings.map((f: { resource: { stack: string }; baselineState: string }) => [
        f.resource.stack,
        f.baselineState,
      ]),
    ).toEqual([
      ['failing', 'unchanged'],
      ['other', 'new'],
    ]);
    expect(doc.summary.new).toBe(1);
    expect(doc.fixed).toEqual([]);

    run(['check', '--write-baseline', baseline, rel('failing.json'), other]);
    const fixed = run(['check', '--baseline', baseline, rel('failing.json')]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('Fixed since the baseline (1)');
    expect(fixed.stdout).toContain(`${RULE}[other/Api] (other/Fn)`);
  });

  test('the baseline file is the same whatever the order of the inputs', () => {
    const { dir, other } = setup();
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    run(['check', '--write-baseline', a, rel('failing.json'), other]);
    run(['check', '--write-baseline', b, other, rel('failing.json')]);
    expect(fs.readFileSync(a, 'utf-8')).toBe(fs.readFileSync(b, 'utf-8'));
  });

  test('github leaves out known findings; the exit code counts only new ones', () => {
    const { baseline } = setup();
    run(['check', '--write-baseline', baseline, rel('failing.json')]);
    const r = run(['check', '--format', 'github', '--baseline', baseline, rel('failing.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('::error');
  });

  test.each([
    ['missing', undefined, 'no such baseline file (write one with --write-baseline'],
    ['not JSON', '{', 'is not a baseline file: not valid JSON'],
    ['another shape', '{"findings": {}}', 'is not a baseline file (expected {"version": 1'],
    ['an entry without fingerprint', '{"version": 1, "findings": [{}]}', 'finding 1 has no fingerprint'],
  ])('a baseline file that is %s: exit 2, one line', (_name, text, message) => {
    const { baseline } = setup();
    if (text !== undefined) fs.writeFileSync(baseline, text);
    const r = run(['check', '--baseline', baseline, rel('failing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--parameter and --parameters', () => {
  const findings = (r: Run) =>
    JSON.parse(r.stdout).findings.map((f: { ruleId: string; findingId: string }) => `${f.ruleId}[${f.findingId}]`);

  test('an unbound parameter is unknown; a bound one decides', () => {
    const file = parameterizedTemplate(tempDir());
    expect(findings(run(['check', '--format', 'json', file]))).toEqual([]);
    expect(findings(run(['check', '--format', 'json', '--parameter', 'PrivateDns=true', file]))).toEqual([
      `${RULE}[param/Api]`,
    ]);
    expect(findings(run(['check', '--format', 'json', '--parameter', 'PrivateDns=false', file]))).toEqual([]);
  });

  test('both forms of parameters file; --parameter wins over the file', () => {
    const dir = tempDir();
    const file = parameterizedTemplate(dir);
    const list = path.join(dir, 'list.json');
    fs.writeFileSync(list, JSON.stringify([{ ParameterKey: 'PrivateDns', ParameterValue: 'true' }]));
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ Parameters: { PrivateDns: 'true', Zones: ['a', 'c'] } }));
    expect(findings(run(['check', '--format', 'json', '--parameters', list, file]))).toEqual([`${RULE}[param/Api]`]);
    expect(findings(run(['check', '--format', 'json', '--parameters', config, file]))).toEqual([`${RULE}[param/Api]`]);
    expect(
      findings(run(['check', '--format', 'json', '--parameters', list, '--parameter', 'PrivateDns=false', file])),
    ).toEqual([]);
  });

  test('an SSM parameter type is bound to a parameter name: its value stays unknown', () => {
    const file = parameterizedTemplate(tempDir(), 'AWS::SSM::Parameter::Value<String>');
    expect(findings(run(['check', '--format', 'json', '--parameter', 'PrivateDns=true', file]))).toEqual([]);
  });

  test.each([
    [['--parameter', 'PrivateDns'], "--parameter must be KEY=VALUE, not 'PrivateDns'"],
    [['--parameter', 'Nope=1'], 'no template declares the parameter Nope (given by --parameter or --parameters)'],
  ])('usage error %j', (args, message) => {
    const file = parameterizedTemplate(tempDir());
    const r = run(['check', ...args, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`api-reachability: ${message}\n`);
  });

  test.each([
    ['missing', undefined, 'no such file'],
    ['not JSON', '[', 'is not valid JSON'],
    ['a list entry without key', '[{"ParameterValue": "x"}]', 'entry 1 has no ParameterKey'],
    ['a previous value', '[{"ParameterKey": "PrivateDns", "UsePreviousValue": true}]', 'uses the previous value'],
    ['an object value', '{"Parameters": {"PrivateDns": {}}}', 'the value of PrivateDns is not a string'],
    ['another shape', '"x"', 'is neither a list of parameters nor an object with "Parameters"'],
  ])('a parameters file that is %s: exit 2, one line', (_name, text, message) => {
    const dir = tempDir();
    const file = parameterizedTemplate(dir);
    const params = path.join(dir, 'params.json');
    if (text !== undefined) fs.writeFileSync(params, text);
    const r = run(['check', '--parameters', params, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--out', () => {
  test('writes the report to the file; stdout stays empty', () => {
    const dir = tempDir();
    const out = path.join(dir, 'report.sarif');
    const r = run(['check', '--format', 'sarif', '--out', out, rel('failing.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf-8')).version).toBe('2.1.0');
  });

  test('an unwritable file: exit 2, one line', () => {
    const r = run(['check', '--out', path.join(tempDir(), 'no', 'such', 'dir', 'x.txt'), rel('failing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be written \(ENOENT\)\n$/);
  });
});

describe('SAM', () => {
  test('a finding on a resource SAM makes points at the event that made it, in text, JSON and SARIF', () => {
    const dir = tempDir();
    const file = path.join(dir, 'implicit.yaml');
    fs.writeFileSync(
      file,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Backend:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: nodejs22.x',
        '      Handler: index.handler',
        '      InlineCode: "exports.handler = async () => ({ statusCode: 200 })"',
        '      Events:',
        '        GetOrders:',
        '          Type: Api',
        '          Properties:',
        '            Path: /orders',
        '            Method: get',
        '            Auth:',
        '              ApiKeyRequired: true',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(run(['check', '--format', 'json', file]).stdout);
    const finding = json.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'ApiReachability-ApiKeyWithoutUsagePlan',
    );
    expect(finding.resource.logicalId).toBe('ServerlessRestApi');
    // Line 10 is `GetOrders:`, the event that made SAM's implicit API.
    expect(finding.location.line).toBe(10);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', file]).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(10);
    expect(sarifErrors(sarif)).toEqual([]);
  });
});
