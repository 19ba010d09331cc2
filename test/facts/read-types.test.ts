import * as fs from 'fs';
import * as path from 'path';
import { FACT_RESOURCE_TYPES } from '../../src/facts/read-types';

/** Every `.ts` file below a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every resource type a fact or a rule names is one the construct-tree door renders', () => {
  const root = path.join(__dirname, '..', '..', 'src');
  const named = new Set<string>();
  for (const file of [...sources(path.join(root, 'facts')), ...sources(path.join(root, 'rules'))]) {
    for (const m of fs.readFileSync(file, 'utf-8').matchAll(/'(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)'/g)) named.add(m[1]);
  }
  expect(named.size).toBeGreaterThan(30);
  expect([...named].filter((t) => !FACT_RESOURCE_TYPES.has(t))).toEqual([]);
});

test('no type is matched by prefix in the facts or rules, which the list could not cover', () => {
  const root = path.join(__dirname, '..', '..', 'src');
  const prefixes = [...sources(path.join(root, 'facts')), ...sources(path.join(root, 'rules'))].flatMap((file) =>
    [...fs.readFileSync(file, 'utf-8').matchAll(/startsWith\('(AWS::[^']*)'\)/g)].map((m) => m[1]),
  );
  // SAM's types are read from templates only, and each is listed.
  for (const p of prefixes) expect([...FACT_RESOURCE_TYPES].some((t) => t.startsWith(p))).toBe(true);
});
