/**
 * cdk-nag is a required peer (issue G, item 9): the pack extends cdk-nag's NagPack, so jsii needs
 * cdk-nag as a declared peer of every binding, and the library's entry point loads it. The README's
 * install line must say so.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('cdk-nag is a peer dependency, not an optional one', () => {
  expect(pkg.peerDependencies['cdk-nag']).toMatch(/^\^3\./);
  expect(pkg.peerDependenciesMeta?.['cdk-nag']?.optional).not.toBe(true);
});

test('the entry point loads cdk-nag (the pack is part of the public API)', () => {
  const script =
    "require('ts-node/register/transpile-only'); require('./src'); " +
    'console.log(Object.keys(require.cache).some((f) => /[\\\\/]node_modules[\\\\/]cdk-nag[\\\\/]/.test(f)))';
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(out.trim()).toBe('true');
});

test("the README's install line installs cdk-nag with the library, and says why", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('npm install --save-dev cdk-api-reachability cdk-nag');
  expect(readme).toMatch(/`cdk-nag` \(v3\) is a required peer dependency/);
  expect(readme).not.toMatch(/no cdk-nag needed/i);
});
