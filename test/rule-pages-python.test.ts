/**
 * The Python examples of the rule pages (issue 13 item 2): each TypeScript example of docs/rules/<Rule>.md is followed
 * by jsii-rosetta's Python translation of it, recorded with a digest so that the build (docgen:rules) translates again
 * whatever changed and a hand edit of the Python cannot stay.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  DOCS_DIR,
  exampleText,
  renderPage,
  staleTranslations,
  translateToPython,
  translationDigest,
} from '../projenrc/docgen-rules';
import { RULES } from '../src/rules';

const pages = RULES.map((r) => ({ rule: r.name, page: fs.readFileSync(path.join(DOCS_DIR, `${r.name}.md`), 'utf8') }));

function pythonBlocks(page: string): { file: string; ts: string; python: string }[] {
  return [
    ...page.matchAll(
      /<!-- example:([\w-]+) -->\n\n```ts\n([\s\S]*?)\n```\n\nIn Python:\n\n```python\n([\s\S]*?)\n```\n/g,
    ),
  ].map((m) => ({ file: m[1], ts: m[2], python: m[3] }));
}

describe('the Python examples of the rule pages', () => {
  test('every example of every page has its Python translation, and every translation is current', () => {
    for (const { page } of pages) {
      const examples = [...page.matchAll(/<!-- example:([\w-]+) -->/g)].map((m) => m[1]);
      expect(examples.length).toBeGreaterThan(0);
      expect(pythonBlocks(page).map((b) => b.file)).toEqual(examples);
    }
    expect(staleTranslations(pages)).toEqual([]);
  });

  test('every Python example byte-compiles and uses no TypeScript-only value', () => {
    const blocks = pages.flatMap(({ rule, page }) =>
      pythonBlocks(page).map((b) => ({ name: `${rule}/${b.file}`, ...b })),
    );
    expect(blocks.length).toBeGreaterThan(40);
    for (const b of blocks) {
      expect({ name: b.name, bad: /\b(undefined|const|let|new|this)\b\s/.exec(b.python)?.[0] }).toEqual({
        name: b.name,
        bad: undefined,
      });
      expect(b.python).toMatch(/^def build\(app\):$/m);
    }
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import json, sys\nfor name, src in json.load(sys.stdin):\n    compile(src, name, "exec")\nprint(len(sys.argv))',
      ],
      { input: JSON.stringify(blocks.map((b) => [b.name, b.python])), encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test("a page's Python is rosetta's translation of the example above it (translated again here)", () => {
    const rule = 'PrivateDnsShadowsPublicApi';
    const file = 'passes-custom-domain';
    const [python] = translateToPython([{ name: `${rule}/${file}`, ts: exampleText(rule, file) }]);
    const block = pythonBlocks(pages.find((p) => p.rule === rule)!.page).find((b) => b.file === file)!;
    expect(block.python).toBe(python);
    expect(python).toContain('from cdk_api_reachability import RegionalCustomDomain');
    expect(python).toContain(
      'domain = RegionalCustomDomain(stack, "ApiDomain", domain_name="api.example.com", hosted_zone=zone)',
    );
    expect(python).toContain('domain.add_rest_api(api, base_path="payments")');
  });

  test('a hand edit of the Python, or a changed example, makes the translation stale', () => {
    const { rule, page } = pages.find((p) => p.rule === 'PrivateDnsShadowsPublicApi')!;
    const edited = page.replace(
      'domain.add_rest_api(api, base_path="payments")',
      'domain.add_rest_api(api, base_path="v1")',
    );
    expect(edited).not.toBe(page);
    expect(staleTranslations([{ rule, page: edited }]).map((s) => s.name)).toEqual([`${rule}/passes-custom-domain`]);
    expect(() => renderPage(rule, edited)).toThrow(
      'docs/rules/PrivateDnsShadowsPublicApi.md: example "passes-custom-domain" has no current Python translation.',
    );
    // With the translation given, the page is rendered with it and its digest.
    const fresh = renderPage(rule, edited, new Map([[`${rule}/passes-custom-domain`, 'def build(app):\n    pass']]));
    expect(fresh).toContain(
      `<!-- python: translated by jsii-rosetta from the TypeScript above, digest ${translationDigest(
        exampleText(rule, 'passes-custom-domain'),
        'def build(app):\n    pass',
      )} -->`,
    );
    expect(renderPage(rule, page)).toBe(page);
  });

  test('the digest covers the TypeScript, the Python and the rosetta version', () => {
    const d = translationDigest('ts', 'py', '6.0.0');
    expect(d).toMatch(/^[0-9a-f]{16}$/);
    expect(translationDigest('ts2', 'py', '6.0.0')).not.toBe(d);
    expect(translationDigest('ts', 'py2', '6.0.0')).not.toBe(d);
    expect(translationDigest('ts', 'py', '6.0.1')).not.toBe(d);
  });
});
