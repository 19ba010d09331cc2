/**
 * The Python target (issue 13 item 2) and the release workflow (item 12): the build's package:python task, the wheel
 * checker it ends with (projenrc/check-python-wheel.py), and the npm + PyPI release jobs projen writes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
const CHECKER = path.join(ROOT, 'projenrc', 'check-python-wheel.py');

type Step = { exec?: string; spawn?: string; condition?: string };
const steps = (task: string): Step[] => tasks[task].steps ?? [];

describe('the Python target', () => {
  test('package.json declares the jsii Python target: module cdk_api_reachability, dist cdk-api-reachability', () => {
    expect(pkg.jsii.targets.python).toEqual({ distName: 'cdk-api-reachability', module: 'cdk_api_reachability' });
  });

  test('every build packages both languages, with CI set or not', () => {
    expect(steps('package')).toEqual([{ spawn: 'package-all' }]);
    expect(steps('package-all').map((s) => s.spawn)).toEqual(['package:js', 'package:python']);
    expect(steps('build').map((s) => s.spawn)).toContain('package');
  });

  test('package:python generates code only, byte-compiles it, builds the wheel with pip, and checks it', () => {
    const execs = steps('package:python').map((s) => s.exec ?? '');
    const at = (re: RegExp) => {
      const i = execs.findIndex((e) => re.test(e));
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    const python = at(/spawnSync\('python3'/);
    const pacmak = at(/^jsii-pacmak .*--target python --code-only/);
    const compile = at(/python3 -m compileall -q \S+\/python\/src$/);
    const venv = at(/python3 -m venv .*\/pip install .*--upgrade setuptools/);
    const wheel = at(/pip wheel .*--no-deps --no-build-isolation --wheel-dir dist\/python /);
    const check = at(/^python3 projenrc\/check-python-wheel.py dist\/python \.jsii$/);
    expect([python, pacmak, compile, venv, wheel, check]).toEqual(
      [...[python, pacmak, compile, venv, wheel, check]].sort((a, b) => a - b),
    );
    // jsii-pacmak's own Python build (setuptools 75 pinned) never runs.
    expect(execs.filter((e) => e.includes('jsii-pacmak') && !e.includes('--code-only'))).toEqual([]);
    // The staging folder is removed; the wheel stays in dist/python, which git ignores.
    expect(execs[execs.length - 1]).toBe('rm -rf dist/.python-build');
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('/dist/');
  });

  test('without python3 the build stops with one line that says what is missing and what to do', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nopython-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = spawnSync('/bin/sh', ['-c', steps('package:python')[0].exec!], {
      env: { PATH: bin },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'package:python: python3 not found: the build makes the Python wheel (dist/python) and needs Python 3.10 or later with pip and venv; install it, or run npx projen package:js for the npm package alone.',
    ]);
    // With python3 on the path, the same step passes.
    expect(spawnSync('/bin/sh', ['-c', steps('package:python')[0].exec!], { encoding: 'utf8' }).status).toBe(0);
  });
});

describe('the wheel check', () => {
  const MODULE = 'cdk_api_reachability';
  const assembly = {
    name: 'cdk-api-reachability',
    version: '1.2.3',
    types: { 'cdk-api-reachability.Checks': {}, 'cdk-api-reachability.RuleLevel': {} },
  };
  const GOOD_INIT = [
    'import abc',
    'class Checks(metaclass=abc.ABCMeta):',
    '    pass',
    'class RuleLevel:',
    '    ERROR = "error"',
    '__all__ = ["Checks", "RuleLevel"]',
    '',
  ].join('\n');

  /** Writes a wheel (and the .jsii) with python3's zipfile and tarfile; `change` edits the entries first. */
  function makeWheel(change: (entries: Record<string, string | null>) => void = () => {}, name?: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wheel-'));
    const jsii = path.join(dir, '.jsii');
    fs.writeFileSync(jsii, JSON.stringify(assembly));
    const entries: Record<string, string | null> = {
      [`${MODULE}/__init__.py`]: GOOD_INIT,
      [`${MODULE}/_jsii/__init__.py`]: 'import jsii\n',
      [`${MODULE}/py.typed`]: '\n',
      [`${MODULE}/_jsii/cdk-api-reachability@1.2.3.jsii.tgz`]: 'TARBALL',
      'cdk_api_reachability-1.2.3.data/scripts/api-reachability': '#!/usr/bin/env python\n',
      'cdk_api_reachability-1.2.3.dist-info/METADATA': [
        'Metadata-Version: 2.4',
        'Name: cdk-api-reachability',
        'Version: 1.2.3',
        'Requires-Dist: aws-cdk-lib<3.0.0,>=2.276.0',
        'Requires-Dist: cdk-nag<4.0.0,>=3.0.2',
        'Requires-Dist: constructs<11.0.0,>=10.5.1',
        'Requires-Dist: jsii<2.0.0,>=1.140.0',
        '',
      ].join('\n'),
    };
    change(entries);
    const out = path.join(dir, 'wheels');
    fs.mkdirSync(out);
    const script = [
      'import io, json, sys, tarfile, zipfile',
      'entries, tarball_members, wheel = json.load(sys.stdin)',
      'with zipfile.ZipFile(wheel, "w") as z:',
      '    for name, text in entries.items():',
      '        if text is None: continue',
      '        if text == "TARBALL":',
      '            buf = io.BytesIO()',
      '            with tarfile.open(fileobj=buf, mode="w:gz") as t:',
      '                for m in tarball_members:',
      '                    data = b"{}"',
      '                    info = tarfile.TarInfo(m); info.size = len(data); t.addfile(info, io.BytesIO(data))',
      '            z.writestr(name, buf.getvalue())',
      '        else:',
      '            z.writestr(name, text)',
    ].join('\n');
    const wheel = path.join(out, name ?? 'cdk_api_reachability-1.2.3-py3-none-any.whl');
    const members = (entries.__tarball as string | undefined)?.split(',') ?? [
      'package/.jsii',
      'package/lib/index.js',
      'package/package.json',
    ];
    delete entries.__tarball;
    const w = spawnSync('python3', ['-c', script], {
      input: JSON.stringify([entries, members, wheel]),
      encoding: 'utf8',
    });
    expect(w.stderr).toBe('');
    return { out, jsii };
  }

  function run(wheel: { out: string; jsii: string }) {
    const r = spawnSync('python3', [CHECKER, wheel.out, wheel.jsii], { encoding: 'utf8' });
    return { status: r.status, problems: r.stderr.trim().split('\n').filter(Boolean), stdout: r.stdout };
  }

  test('a complete wheel passes', () => {
    const r = run(makeWheel());
    expect(r.problems).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/is complete/);
  });

  test('fails when the wheel lacks the module, its _jsii package or the jsii assembly', () => {
    const r = run(
      makeWheel((e) => {
        e[`${MODULE}/__init__.py`] = null;
        e[`${MODULE}/_jsii/__init__.py`] = null;
        e[`${MODULE}/_jsii/cdk-api-reachability@1.2.3.jsii.tgz`] = null;
      }),
    );
    expect(r.status).toBe(1);
    expect(r.problems).toEqual([
      `check-python-wheel: cdk_api_reachability-1.2.3-py3-none-any.whl does not list ${MODULE}/__init__.py`,
      `check-python-wheel: cdk_api_reachability-1.2.3-py3-none-any.whl does not list ${MODULE}/_jsii/__init__.py`,
      `check-python-wheel: cdk_api_reachability-1.2.3-py3-none-any.whl does not list ${MODULE}/_jsii/cdk-api-reachability@1.2.3.jsii.tgz`,
    ]);
  });

  test('fails when the assembly tarball does not hold the .jsii', () => {
    const r = run(makeWheel((e) => (e.__tarball = 'package/lib/index.js,package/package.json')));
    expect(r.status).toBe(1);
    expect(r.problems).toEqual([
      `check-python-wheel: ${MODULE}/_jsii/cdk-api-reachability@1.2.3.jsii.tgz does not hold package/.jsii`,
    ]);
  });

  test('fails when a module does not byte-compile', () => {
    const r = run(makeWheel((e) => (e[`${MODULE}/_jsii/__init__.py`] = 'def broken(:\n')));
    expect(r.status).toBe(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(
      /^check-python-wheel: cdk_api_reachability\/_jsii\/__init__.py does not byte-compile: /,
    );
  });

  test('fails when a type of the assembly has no class in the module, or is not in __all__', () => {
    const r = run(
      makeWheel((e) => {
        e[`${MODULE}/__init__.py`] = GOOD_INIT.replace('class RuleLevel:\n    ERROR = "error"\n', '').replace(
          '__all__ = ["Checks", "RuleLevel"]',
          '__all__ = ["RuleLevel"]',
        );
      }),
    );
    expect(r.status).toBe(1);
    expect(r.problems).toEqual([
      `check-python-wheel: ${MODULE}/__init__.py does not list Checks in __all__`,
      `check-python-wheel: ${MODULE}/__init__.py defines no class RuleLevel`,
    ]);
  });

  test('fails when the metadata does not require aws-cdk-lib, or has another version', () => {
    const r = run(
      makeWheel((e) => {
        const key = 'cdk_api_reachability-1.2.3.dist-info/METADATA';
        e[key] = e[key]!.replace('Requires-Dist: aws-cdk-lib<3.0.0,>=2.276.0\n', '').replace(
          'Version: 1.2.3',
          'Version: 9.9.9',
        );
      }),
    );
    expect(r.status).toBe(1);
    expect(r.problems).toEqual([
      'check-python-wheel: cdk_api_reachability-1.2.3-py3-none-any.whl does not require aws-cdk-lib',
      "check-python-wheel: cdk_api_reachability-1.2.3-py3-none-any.whl: METADATA version is not the assembly's 1.2.3",
    ]);
  });

  test('fails when there is no wheel, or one of another distribution', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nowheel-'));
    fs.writeFileSync(path.join(empty, '.jsii'), JSON.stringify(assembly));
    expect(run({ out: empty, jsii: path.join(empty, '.jsii') }).problems).toEqual([
      `check-python-wheel: expected exactly one wheel in ${empty}, found 0`,
    ]);
    const other = run(makeWheel(() => {}, 'other_pkg-1.2.3-py3-none-any.whl'));
    expect(other.status).toBe(1);
    expect(other.problems).toEqual([
      'check-python-wheel: other_pkg-1.2.3-py3-none-any.whl: not a pure-Python wheel of cdk_api_reachability',
    ]);
  });
});

describe('the release workflow', () => {
  const workflow = YAML.parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8'));

  test('publishes to npm and to PyPI from main, the Python wheel built by the same package:python task', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(Object.keys(workflow.jobs).sort()).toEqual(['release', 'release_github', 'release_npm', 'release_pypi']);
    const runs = (job: string) => workflow.jobs[job].steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(runs('release')).toMatch(/npx projen release/);
    expect(runs('release_npm')).toMatch(/publib-npm/);
    expect(runs('release_pypi')).toMatch(/npx projen package:python/);
    expect(runs('release_pypi')).toMatch(/publib-pypi/);
    expect(
      workflow.jobs.release_pypi.steps.some((s: { uses?: string }) => s.uses?.startsWith('actions/setup-python')),
    ).toBe(true);
  });

  test('is the only hosted workflow: the build itself runs in .ci/run', () => {
    expect(fs.readdirSync(path.join(ROOT, '.github', 'workflows'))).toEqual(['release.yml']);
    expect(fs.existsSync(path.join(ROOT, '.ci', 'run'))).toBe(true);
  });
});

describe("the README's install-from-a-clone commands", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('<summary>Before the first release'),
    readme.indexOf('</details>', readme.indexOf('<summary>Before the first release')),
  );
  const commands = [...section.matchAll(/```bash\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);

  test('name the tarball npm pack writes and install it with the cdk-nag peer', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const tarball: string = JSON.parse(r.stdout)[0].filename;
    expect(tarball).toBe(`cdk-api-reachability-${pkg.version}.tgz`);
    expect(commands).toContain('npm install && npx projen compile && npm pack');
    expect(commands).toContain(`npm install --save-dev ../cdk-api-reachability/${tarball} cdk-nag`);
    expect(Object.keys(pkg.peerDependencies)).toContain('cdk-nag');
    expect(section).toContain(`writes ${tarball}`);
  });

  test('name the wheel package:python writes, and tasks that exist', () => {
    const wheel = `dist/python/${pkg.jsii.targets.python.module}-${pkg.version}-py3-none-any.whl`;
    expect(commands).toContain('npx projen package:python');
    expect(commands).toContain(`pip install ${wheel}`);
    expect(section).toContain(`writes ${wheel}`);
    for (const c of commands.filter((l) => l.includes('npx projen '))) {
      for (const [, task] of c.matchAll(/npx projen ([\w:-]+)/g)) expect(Object.keys(tasks)).toContain(task);
    }
    expect(section).toContain(`dist/js/cdk-api-reachability-${pkg.version}.tgz`);
    expect(tasks['package:js'].steps).toEqual([{ execArgs: ['jsii-pacmak', '-v', '--target', 'js'] }]);
  });
});
