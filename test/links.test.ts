/**
 * Every link a message prints resolves (issue G, item 10): each names a file of this repository
 * that the npm package ships, or a heading of the README; and the package ships the pages.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DOCS_BASE, RULES } from '../src/rules';

const ROOT = path.join(__dirname, '..');
const REPO = 'https://github.com/cdk-api-reachability/cdk-api-reachability';

/** Every repository link written in the library's source. */
function linksInSource(): string[] {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  const found = new Set<string>();
  for (const f of files(path.join(ROOT, 'src'))) {
    for (const m of fs
      .readFileSync(f, 'utf8')
      .matchAll(/https:\/\/github\.com\/cdk-api-reachability\/cdk-api-reachability[^'"`\s)]*/g)) {
      if (!m[0].includes('${')) found.add(m[0]);
    }
  }
  return [...found].sort();
}

/** GitHub's anchor of a Markdown heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function resolves(url: string): boolean {
  const [base, anchor] = url.split('#');
  let file: string;
  if (base === REPO) file = 'README.md';
  else if (base.startsWith(`${REPO}/blob/main/`)) file = base.slice(`${REPO}/blob/main/`.length);
  else return false;
  const full = path.join(ROOT, file);
  if (!fs.existsSync(full)) return false;
  if (anchor === undefined) return true;
  const headings = fs
    .readFileSync(full, 'utf8')
    .split('\n')
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => slug(l.replace(/^#+ /, '')));
  return headings.includes(anchor);
}

test('every link in the source names a file or README heading that exists', () => {
  const links = linksInSource();
  expect(links.length).toBeGreaterThan(3);
  expect(links.filter((l) => !resolves(l))).toEqual([]);
});

test("every rule's docs link resolves", () => {
  expect(DOCS_BASE.startsWith(`${REPO}/blob/main/`)).toBe(true);
  expect(RULES.map((r) => r.docs).filter((l) => !resolves(l))).toEqual([]);
});

test('the npm package ships the rule pages, the constructs error page and the README', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  const files = new Set<string>(JSON.parse(out)[0].files.map((f: { path: string }) => f.path));
  for (const r of RULES) expect(files).toContain(`docs/rules/${r.docs.split('/').pop()}`);
  expect(files).toContain('docs/constructs/errors.md');
  expect(files).toContain('README.md');
});
