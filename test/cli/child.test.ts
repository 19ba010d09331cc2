import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

function node(script: string, args: string[]) {
  return spawnSync(process.execPath, [TS_NODE, '--transpile-only', script, ...args], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

test('the entry point runs as a program, with a shebang, and sets the exit code', () => {
  const main = path.join(ROOT, 'src', 'cli', 'main.ts');
  expect(fs.readFileSync(main, 'utf-8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const r = node(main, ['check', 'test/cli/fixtures/failing.yaml']);
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('ApiReachability-PrivateDnsShadowsPublicApi[failing/Api]');
  const missing = node(main, ['check', 'test/cli/fixtures/missing.json']);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toBe('api-reachability: test/cli/fixtures/missing.json: no such file or directory\n');
});

test('checking templates loads neither aws-cdk-lib nor cdk-nag', () => {
  const r = node(path.join(__dirname, 'fixtures', 'load-probe.ts'), [
    'check',
    '--format',
    'sarif',
    'test/cli/fixtures/failing.json',
    'test/cli/fixtures/failing.yaml',
  ]);
  expect(r.status).toBe(1);
  expect(JSON.parse(r.stdout).runs[0].results.length).toBeGreaterThan(0);
  const last = r.stderr.trim().split('\n').pop();
  expect(last).toBe('LOADED []');
});
