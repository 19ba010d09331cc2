import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readInputs, resolveInputs } from '../../src/cli/inputs';
import { main } from '../../src/cli/main';
import { RULES } from '../../src/rules';
import { scenario } from '../fixtures/apps/scenario';

const FIXTURES = path.join(__dirname, 'fixtures');
const CWD = path.resolve(__dirname, '..', '..');
const rel = (f: string) => path.relative(CWD, path.join(FIXTURES, f));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], opts: { isTTY?: boolean; env?: { [k: string]: string } } = {}): Run {
  let stdout = '';
  let stderr = '';
  const code = main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: CWD,
  });
  return { code, stdout, stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-cli-'));
}

/** The 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  return (
    fs
      .readFileSync(path.join(FIXTURES, file), 'utf-8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

describe('check, text', () => {
  test('a failing JSON template exits 1 with the finding, its fix, docs and a summary', () => {
    const r = run(['check', rel('failing.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Stack failing (${rel('failing.json')})`);
    expect(r.stdout).toContain('error   ApiReachability-PrivateDnsShadowsPublicApi[failing/Api]');
    expect(r.stdout).toContain(`resource: Fn (Properties.Environment.Variables.URL) at ${rel('failing.json')}:`);
    expect(r.stdout).toMatch(/Fix: .+/);
    expect(r.stdout).toContain(
      'Docs: https://github.com/cdk-api-reachability/cdk-api-reachability/blob/main/docs/rules/',
    );
    expect(r.stdout.trim().split('\n').pop()).toBe('1 error, 0 warnings, 1 file');
    expect(r.stdout).not.toContain('\u001b[');
  });

  test('the same app in YAML reports the same', () => {
    const r = run(['check', rel('failing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ApiReachability-PrivateDnsShadowsPublicApi[failing/Api]');
    expect(r.stdout).toContain(`${rel('failing.yaml')}:${lineOf('failing.yaml', 'URL: !Sub')}:11`);
  });

  test('a passing folder exits 0', () => {
    const r = run(['check', rel('passing')]);
    expect(r).toEqual({ code: 0, stdout: '0 errors, 0 warnings, 1 file\n', stderr: '' });
  });

  test('colour only on a TTY without NO_COLOR', () => {
    expect(run(['check', rel('failing.json')], { isTTY: true }).stdout).toContain('\u001b[31m');
    expect(run(['check', rel('failing.json')], { isTTY: true, env: { NO_COLOR: '1' } }).stdout).not.toContain(
      '\u001b[',
    );
  });

  test('the output is the same on every run, whatever the order of the inputs', () => {
    const a = run(['check', rel('failing.yaml'), rel('passing')]);
    const b = run(['check', rel('passing'), rel('failing.yaml')]);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('check, json', () => {
  test('matches the documented schema', () => {
    const r = run(['check', '--format', 'json', rel('failing.json')]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.tool).toEqual({ name: 'api-reachability', version: expect.any(String) });
    expect(doc.summary).toEqual({ errors: 1, warnings: 0, findings: 1, files: 1, acknowledged: 0 });
    expect(doc.findings).toHaveLength(1);
    const f = doc.findings[0];
    expect(Object.keys(f).sort()).toEqual(
      [
        'acknowledged',
        'docs',
        'evidence',
        'findingId',
        'fingerprint',
        'fix',
        'level',
        'location',
        'message',
        'related',
        'resource',
        'ruleId',
        'source',
      ].sort(),
    );
    expect(f.source).toBeNull();
    expect(f.evidence).toBeNull(); // the cause is in the function's own template
    expect(f).toMatchObject({
      ruleId: 'ApiReachability-PrivateDnsShadowsPublicApi',
      findingId: 'failing/Api',
      level: 'error',
      resource: { stack: 'failing', logicalId: 'Fn', constructPath: null, templateFile: rel('failing.json') },
      location: { property: 'Properties.Environment.Variables.URL', line: lineOf('failing.json', '"URL"') },
    });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(f.related.map((x: { logicalId: string }) => x.logicalId)).toEqual(expect.arrayContaining(['Api']));
  });
});

describe('check, sarif', () => {
  test('SARIF 2.1.0 with rules and results whose region points at the property line', () => {
    const r = run(['check', '--format=sarif', rel('failing.yaml')]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('api-reachability');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules).toHaveLength(RULES.length);
    for (const rule of driver.rules) {
      expect(rule).toMatchObject({
        id: expect.stringMatching(/^ApiReachability-/),
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        helpUri: expect.stringMatching(/^https:\/\//),
        defaultConfiguration: { level: expect.stringMatching(/^(error|warning)$/) },
      });
    }
    const [result] = log.runs[0].results;
    expect(result.ruleId).toBe('ApiReachability-PrivateDnsShadowsPublicApi');
    expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(result.level).toBe('error');
    expect(result.message.text).toContain('ApiReachability-PrivateDnsShadowsPublicApi[failing/Api]');
    const loc = result.locations[0];
    expect(loc.physicalLocation.artifactLocation.uri).toBe(rel('failing.yaml'));
    expect(loc.physicalLocation.region).toMatchObject({
      startLine: lineOf('failing.yaml', 'URL: !Sub'),
      startColumn: 11,
    });
    expect(loc.physicalLocation.region.endLine).toBeGreaterThanOrEqual(loc.physicalLocation.region.startLine);
    expect(loc.logicalLocations[0]).toMatchObject({ name: 'Fn', fullyQualifiedName: 'failing/Fn' });
    const api = result.relatedLocations.find((l: any) => l.logicalLocations[0].name === 'Api');
    expect(api.physicalLocation.region.startLine).toBe(lineOf('failing.yaml', '  Api:'));
    expect(result.partialFingerprints['apiReachability/v1']).toMatch(/^[0-9a-f]{32}$/);
  });

  test('fingerprints do not follow line numbers', () => {
    const dir = tempDir();
    const moved = path.join(dir, 'failing.yaml');
    fs.writeFileSync(moved, `# moved down\n\n\n${fs.readFileSync(path.join(FIXTURES, 'failing.yaml'), 'utf-8')}`);
    const fp = (file: string) => JSON.parse(run(['check', '--format', 'sarif', file]).stdout).runs[0].results[0];
    const a = fp(rel('failing.yaml'));
    const b = fp(moved);
    expect(b.locations[0].physicalLocation.region.startLine).toBe(a.locations[0].physicalLocation.region.startLine + 3);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
  });
});

describe('options', () => {
  test('--fail-on warning and never', () => {
    expect(run(['check', '--fail-on', 'never', rel('failing.json')]).code).toBe(0);
    expect(run(['check', '--fail-on', 'warning', rel('failing.json')]).code).toBe(1);
    expect(run(['check', '--fail-on', 'warning', rel('passing')]).code).toBe(0);
  });

  test('--ignore and --only take the rule id or the bare name', () => {
    const ignored = run(['check', '--ignore', 'PrivateDnsShadowsPublicApi', rel('failing.json')]);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).not.toContain('PrivateDnsShadowsPublicApi');
    const only = run(['check', '--only', 'ApiReachability-PrivateDnsShadowsPublicApi', rel('failing.json')]);
    expect(only.code).toBe(1);
    const other = run(['check', '--only', 'ApiKeyWithoutUsagePlan,CustomDomainWithoutMapping', rel('failing.json')]);
    expect(other.code).toBe(0);
    const sarif = JSON.parse(
      run(['check', '--only', 'ApiKeyWithoutUsagePlan', '--format', 'sarif', rel('failing.json')]).stdout,
    );
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'ApiReachability-ApiKeyWithoutUsagePlan',
    ]);
  });

  test('an unknown rule is a usage error', () => {
    const r = run(['check', '--only', 'NoSuchRule', rel('failing.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("api-reachability: unknown rule 'NoSuchRule' (see --list-rules)\n");
  });

  test('--list-rules, as text and json', () => {
    const text = run(['--list-rules']);
    expect(text.code).toBe(0);
    for (const rule of RULES) expect(text.stdout).toContain(rule.id);
    const json = JSON.parse(run(['--list-rules', '--format', 'json']).stdout);
    expect(json.version).toBe(1);
    expect(json.rules).toHaveLength(RULES.length);
    expect(json.rules[0]).toEqual({
      id: RULES[0].id,
      name: RULES[0].name,
      level: RULES[0].level,
      summary: RULES[0].summary,
      docs: RULES[0].docs,
    });
  });

  test('--help and --version', () => {
    expect(run(['--help']).stdout).toContain('Usage: api-reachability <command>');
    expect(run(['check', '--help']).stdout).toContain('Usage: api-reachability check');
    expect(run(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('--region gives environment-agnostic stacks a region', () => {
    const inputs = resolveInputs([path.join(FIXTURES, 'failing.json')]);
    expect(readInputs(inputs).map((s) => s.region)).toEqual([undefined]);
    expect(readInputs(inputs, 'eu-west-1').map((s) => s.region)).toEqual(['eu-west-1']);
    const r = run(['check', '--region', 'eu-west-1', '--format', 'json', rel('failing.json')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].ruleId).toBe('ApiReachability-PrivateDnsShadowsPublicApi');
  });

  test.each([
    [['check'], 'check needs a cdk.out directory, a template file or a folder'],
    [[], "no command given (try 'api-reachability check cdk.out')"],
    [['lint', 'x'], "unknown command 'lint' (the commands are check, report, explain)"],
    [['check', '--format', 'xml', 'x'], "--format must be text, json, sarif, junit or github, not 'xml'"],
    [['check', '--fail-on', 'info', 'x'], "--fail-on must be error, warning or never, not 'info'"],
    [['check', '--region'], '--region needs a value'],
    [['check', '--bogus', 'x'], 'unknown option --bogus'],
  ])('usage error %j', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`api-reachability: ${message}\n`);
  });
});

describe('unusable input: exit 2, one line naming the file', () => {
  test('a missing path', () => {
    const r = run(['check', 'no/such/cdk.out']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'api-reachability: no/such/cdk.out: no such file or directory\n',
    });
  });

  test('bad JSON', () => {
    const r = run(['check', rel('bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      new RegExp(`^api-reachability: ${rel('bad.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*JSON`),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('bad YAML', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'Resources:\n  Api: [unclosed\n');
    const r = run(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.yaml');
  });

  test('not a template file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    const r = run(['check', path.join(dir, 'notes.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notes.txt: not a template file');
  });

  test('a JSON file that is not a template', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'x.json'), '{"hello": 1}');
    const r = run(['check', path.join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('x.json: is not a CloudFormation template');
  });

  test('a cycle of nested templates', () => {
    const dir = tempDir();
    const nesting = (child: string) =>
      `Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Metadata:\n      aws:asset:path: ${child}\n` +
      `    Properties:\n      TemplateURL: https://example.com/${child}\n`;
    fs.writeFileSync(path.join(dir, 'a.yaml'), nesting('b.yaml'));
    fs.writeFileSync(path.join(dir, 'b.yaml'), nesting('a.yaml'));
    const r = run(['check', path.join(dir, 'a.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nests itself: its nested stacks form a cycle');
  });

  test('an empty folder', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules', 'ignored.json'), '{}');
    const r = run(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `api-reachability: ${dir}: no template files (.json, .yaml, .yml, .template) and no cloud assembly in this folder\n`,
    );
  });

  test('--debug adds the stack trace', () => {
    const r = run(['check', '--debug', rel('bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('cloud assembly', () => {
  test('a synthesized cdk.out, alone and together with a template', () => {
    const dir = tempDir();
    const { app } = scenario();
    const out = path.join(dir, 'cdk.out');
    app.synth({ force: true });
    fs.cpSync(app.outdir, out, { recursive: true });
    const r = run(['check', '--format', 'json', out]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'ApiReachability-PrivateDnsShadowsPublicApi',
    );
    expect(doc.findings[0].resource.constructPath).toMatch(/\//);
    const folder = run(['check', '--format', 'json', dir]);
    expect(JSON.parse(folder.stdout).findings).toEqual(doc.findings);
    const both = JSON.parse(run(['check', '--format', 'json', out, rel('failing.json')]).stdout);
    expect(both.findings.length).toBe(doc.findings.length + 1);
  });
});

describe('folders with files that are not templates', () => {
  test('a JSON file in a walked folder that is no template is skipped, with a note on stderr', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-skip-'));
    fs.copyFileSync(path.join(FIXTURES, 'failing.json'), path.join(dir, 'stack.json'));
    fs.writeFileSync(path.join(dir, 'index.json'), '[1, 2, 3]');
    fs.writeFileSync(path.join(dir, 'settings.yaml'), 'name: x\n');
    const skipped: string[] = [];
    const stacks = readInputs(resolveInputs([dir]), undefined, skipped);
    expect(stacks.map((s) => path.basename(s.templateFile ?? ''))).toEqual(['stack.json']);
    expect(skipped.map((f) => path.basename(f)).sort()).toEqual(['index.json', 'settings.yaml']);
  });

  test('a file named on the command line must be a template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-skip-'));
    fs.writeFileSync(path.join(dir, 'index.json'), '[1, 2, 3]');
    expect(() => readInputs(resolveInputs([path.join(dir, 'index.json')]))).toThrow(/is not a CloudFormation template/);
  });

  test('a folder whose JSON files are none of them templates is unusable input', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-skip-'));
    fs.writeFileSync(path.join(dir, 'index.json'), '{"a": 1}');
    expect(() => readInputs(resolveInputs([dir]))).toThrow(/no CloudFormation template among the files found/);
  });

  test('a broken template in a walked folder is still an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-skip-'));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"Resources": [1]}');
    expect(() => readInputs(resolveInputs([dir]))).toThrow(/Resources is not a mapping/);
  });
});
