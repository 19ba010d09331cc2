/**
 * The GitHub Action (action.yml and its script) and the pre-commit hooks: well-formed, consistent
 * with the command line, and the action's script run for real against a failing template.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { CHECK } from '../../src/cli/check';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface Action {
  inputs: { [name: string]: { description: string; default: string } };
  outputs: { [name: string]: { value: string } };
  runs: {
    using: string;
    steps: Array<{ id?: string; if?: string; run?: string; uses?: string; env?: { [k: string]: string } }>;
  };
}

const action = YAML.parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf-8')) as Action;
const script = fs.readFileSync(path.join(ROOT, '.github-action', 'check.sh'), 'utf-8');

describe('action.yml', () => {
  test('a composite action whose every input is documented, defaulted and used', () => {
    expect(action.runs.using).toBe('composite');
    const text = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf-8');
    const used = new Set([...text.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]));
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description).toBeTruthy();
      expect(typeof input.default).toBe('string');
      expect(used.has(name) || name === 'inputs').toBe(true);
    }
    for (const name of used) expect(Object.keys(action.inputs)).toContain(name);
  });

  test('the script reads exactly the variables the action sets, and passes only options check has', () => {
    const env = action.runs.steps.find((s) => s.id === 'check')!.env!;
    const read = new Set([...script.matchAll(/\$\{(AR_[A-Z_]+)/g)].map((m) => m[1]));
    expect([...read].sort()).toEqual(Object.keys(env).sort());
    const options = new Set([...script.matchAll(/(?<![\w-])(--[a-z][a-z-]+)/g)].map((m) => m[1]));
    for (const o of ['--yes', '--package']) options.delete(o);
    for (const o of options) expect(Object.keys(CHECK.options)).toContain(o);
  });

  test('the SARIF is uploaded even when check finds something, and the job fails after it', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toContain('always()');
    const last = action.runs.steps[action.runs.steps.length - 1];
    expect(last.run).toContain('exit "${{ steps.check.outputs.exit-code }}"');
  });

  describe('its script, run', () => {
    function runScript(inputs: string, extra: { [k: string]: string } = {}) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-action-'));
      const bin = path.join(dir, 'node_modules', '.bin');
      fs.mkdirSync(bin, { recursive: true });
      // The installed binary, as a project that depends on cdk-api-reachability has it.
      fs.writeFileSync(
        path.join(bin, 'api-reachability'),
        `#!/usr/bin/env bash\nexport TS_NODE_PROJECT=${path.join(ROOT, 'tsconfig.json')}\nexec node -r ${require.resolve('ts-node/register/transpile-only')} ${path.join(ROOT, 'src', 'cli', 'main.ts')} "$@"\n`,
        { mode: 0o755 },
      );
      fs.copyFileSync(path.join(FIXTURES, 'failing.json'), path.join(dir, 'failing.json'));
      const output = path.join(dir, 'github-output');
      const r = spawnSync('bash', [path.join(ROOT, '.github-action', 'check.sh')], {
        cwd: dir,
        encoding: 'utf-8',
        env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, AR_INPUTS: inputs, AR_SARIF: 'out.sarif', ...extra },
      });
      return { dir, status: r.status, stdout: r.stdout, stderr: r.stderr, output: fs.readFileSync(output, 'utf-8') };
    }

    test('findings: the SARIF is written, the findings annotated, exit-code 1, the step itself passes', () => {
      const r = runScript('failing.json');
      expect(r.status).toBe(0);
      expect(r.output).toBe('exit-code=1\n');
      const sarif = JSON.parse(fs.readFileSync(path.join(r.dir, 'out.sarif'), 'utf-8'));
      expect(sarif.runs[0].results[0].ruleId).toBe('ApiReachability-PrivateDnsShadowsPublicApi');
      expect(r.stdout).toMatch(/^::error file=failing\.json,line=\d+/m);
    });

    test('options: fail-on never gives exit-code 0; extra args reach check', () => {
      expect(runScript('failing.json', { AR_FAIL_ON: 'never' }).output).toBe('exit-code=0\n');
      const ignored = runScript('failing.json', {
        AR_ARGS: '--ignore PrivateDnsShadowsPublicApi',
        AR_ANNOTATIONS: 'false',
      });
      expect(ignored.output).toBe('exit-code=0\n');
      expect(ignored.stdout).toBe('');
    });

    test('unusable input: exit-code 2, one line, no annotation run', () => {
      const r = runScript('missing.json');
      expect(r.output).toBe('exit-code=2\n');
      expect(r.stderr).toBe('api-reachability: missing.json: no such file or directory\n');
      expect(r.stdout).toBe('');
    });
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = YAML.parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf-8')) as Array<{
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
  }>;

  test('each hook runs check on the app as a whole when a template changes', () => {
    expect(hooks.map((h) => h.id)).toEqual(['api-reachability', 'api-reachability-npx']);
    for (const h of hooks) {
      expect(h.entry).toMatch(/ api-reachability check$/);
      expect(h.language).toBe('system');
      expect(h.pass_filenames).toBe(false);
      const files = new RegExp(h.files);
      for (const f of ['template.yaml', 'infra/api.yml', 'stack.json', 'x.template']) expect(files.test(f)).toBe(true);
      for (const f of ['README.md', 'src/app.ts']) expect(files.test(f)).toBe(false);
    }
  });
});

describe('the examples of README.md and docs/cli.md', () => {
  const hooks = YAML.parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf-8')) as Array<{
    id: string;
  }>;
  const yamlBlocks = (file: string) =>
    [...fs.readFileSync(path.join(ROOT, file), 'utf-8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  test.each(['README.md', 'docs/cli.md'])(
    '%s: the action is given only inputs it declares, and hooks that exist',
    (file) => {
      const blocks = yamlBlocks(file);
      const withs = blocks.flatMap((b) =>
        [
          ...b.matchAll(
            /uses: cdk-api-reachability\/cdk-api-reachability@\S+[^\n]*\n\s+with:\n((?:\s+[\w-]+:.*\n?)+)/g,
          ),
        ].map((m) => [...m[1].matchAll(/^\s+([\w-]+):/gm)].map((k) => k[1])),
      );
      expect(withs.length).toBeGreaterThan(0);
      for (const keys of withs) for (const k of keys) expect(Object.keys(action.inputs)).toContain(k);
      // The hook ids of pre-commit configurations (blocks with `hooks:`; an acknowledgement's `- id:` is not one).
      const ids = blocks
        .filter((b) => /^\s*hooks:/m.test(b))
        .flatMap((b) => [...b.matchAll(/^\s+-\s+id: ([\w-]+)/gm)].map((m) => m[1]));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(hooks.map((h) => h.id)).toContain(id);
    },
  );
});
