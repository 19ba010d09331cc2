/**
 * The rule pages: one per rule, the same headings in the same order, front matter equal to the
 * rule's metadata, and examples that are real apps doing what the page says (fails.ts raises the
 * rule, every passes-*.ts does not). Like eslint's and typescript-eslint's docs tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { DOCS_DIR, EXAMPLES_DIR, ROOT, generate } from '../projenrc/docgen-rules';
import { analyzeApp } from '../src/analyze';
import { RULES } from '../src/rules';

const HEADINGS = [
  'What it catches',
  'Why API Gateway answers 403',
  'How to fix',
  'Examples',
  'When it stays silent',
  'Acknowledging',
];

interface Page {
  readonly front: { [key: string]: string };
  readonly body: string;
}

function readPage(name: string): Page {
  const text = fs.readFileSync(path.join(DOCS_DIR, `${name}.md`), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`docs/rules/${name}.md has no front matter`);
  const front: { [key: string]: string } = {};
  for (const line of m[1].split('\n')) {
    const kv = /^(\w+):\s*(.*)$/.exec(line);
    if (kv) front[kv[1]] = kv[2].replace(/^"(.*)"$/, '$1');
  }
  return { front, body: m[2] };
}

function examplesOf(name: string): string[] {
  const dir = path.join(EXAMPLES_DIR, name);
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.replace(/\.ts$/, ''))
    : [];
}

function run(name: string, example: string) {
  const app = new App();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(EXAMPLES_DIR, name, example)).build(app);
  return analyzeApp(app);
}

describe('the rule pages', () => {
  test('every page in docs/rules belongs to a rule', () => {
    const pages = fs
      .readdirSync(DOCS_DIR)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => f.replace(/\.md$/, ''));
    expect(pages.sort()).toEqual(RULES.map((r) => r.name).sort());
  });

  test('a rerun of the generator (npx projen docgen:rules) changes nothing', () => {
    expect(generate(false)).toEqual([]);
  });

  test('the catalog lists every rule with its page', () => {
    const catalog = fs.readFileSync(path.join(DOCS_DIR, 'README.md'), 'utf8');
    for (const r of RULES) expect(catalog).toContain(`[\`${r.id}\`](${r.name}.md)`);
  });

  test('the README rule table links every rule page', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const r of RULES) expect(readme).toContain(`(docs/rules/${r.name}.md)`);
  });

  describe.each(RULES.map((r) => [r.name, r] as const))('%s', (name, rule) => {
    test('has front matter equal to the rule metadata, its name as title and its summary first', () => {
      const page = readPage(name);
      expect(page.front.id).toBe(rule.id);
      expect(page.front.level.toLowerCase().startsWith(rule.level)).toBe(true);
      expect(page.front.since).toBe(rule.since);
      expect(page.front.troubleshooting).toBe(rule.troubleshooting);
      const lines = page.body.split('\n').filter((l) => l.trim() !== '');
      expect(lines[0]).toBe(`# ${name}`);
      expect(lines[1]).toBe(rule.summary);
      expect(fs.readFileSync(path.join(DOCS_DIR, `${name}.md`), 'utf8')).toContain(rule.sourceUrl);
    });

    test('has the house headings, in order', () => {
      const h2 = readPage(name)
        .body.split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3).trim());
      expect(h2).toEqual(HEADINGS);
    });

    test('shows every example file, a failing one and at least one passing one', () => {
      const examples = examplesOf(name);
      expect(examples).toContain('fails');
      expect(examples.filter((e) => e.startsWith('passes-')).length).toBeGreaterThan(0);
      const body = readPage(name).body;
      for (const e of examples) expect(body).toContain(`<!-- example:${e} -->`);
      expect(body).toContain(`${rule.id}[`);
    });

    test('its failing example raises the rule', () => {
      expect(run(name, 'fails').filter((f) => f.rule === rule.id)).not.toEqual([]);
    });

    test.each(examplesOf(name).filter((e) => e.startsWith('passes-')))('its example %s does not', (example) => {
      expect(run(name, example).filter((f) => f.rule === rule.id)).toEqual([]);
    });
  });
});
