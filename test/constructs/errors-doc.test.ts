import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack, publicZone, restApi } from './helpers';
import { PrivateApiAccess, RegionalCustomDomain } from '../../src/constructs';
import { ERRORS_DOC_URL, errorDocUrl } from '../../src/constructs/errors';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = path.join(ROOT, 'src', 'constructs');

/** Every error code the constructs use: the `code: '…'` of each `fail` / `validationMessage` call. */
function codesInSources(): string[] {
  const codes = new Set<string>();
  for (const file of fs.readdirSync(SOURCES).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(SOURCES, file), 'utf8');
    for (const match of text.matchAll(/\bcode: '([A-Za-z0-9]+)'/g)) {
      codes.add(match[1]);
    }
  }
  return [...codes].sort();
}

/** The path inside this repository that ERRORS_DOC_URL points at. */
function linkedPath(): string {
  const repository = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } }
  ).repository.url;
  const prefix = `${repository.replace(/\.git$/, '')}/blob/main/`;
  expect(ERRORS_DOC_URL.startsWith(prefix)).toBe(true);
  return ERRORS_DOC_URL.slice(prefix.length);
}

/** The `## <heading>` sections of the page, by heading. */
function entries(): Map<string, string> {
  const page = fs.readFileSync(path.join(ROOT, linkedPath()), 'utf8');
  const sections = new Map<string, string>();
  for (const section of page.split(/^## /m).slice(1)) {
    const newline = section.indexOf('\n');
    sections.set(section.slice(0, newline).trim(), section.slice(newline + 1));
  }
  return sections;
}

/** GitHub's anchor for a heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

describe('the error codes of the constructs', () => {
  test('link to a page that exists in this repository', () => {
    const relative = linkedPath();
    expect(relative).toBe('docs/constructs/errors.md');
    expect(fs.existsSync(path.join(ROOT, relative))).toBe(true);
  });

  test('are all found in the sources', () => {
    // Guards the pattern above: if it stopped matching, the next tests would pass on nothing.
    expect(codesInSources()).toEqual(
      expect.arrayContaining(['BasePathAlreadyMapped', 'EdgeCertificateNotInUsEast1', 'UrlForUnmappedBasePath']),
    );
  });

  test('each have an entry with its cause and fix', () => {
    const sections = entries();
    for (const code of codesInSources()) {
      const section = sections.get(code);
      expect({ code, entry: section !== undefined }).toEqual({ code, entry: true });
      expect({ code, cause: section?.includes('**Cause:**'), fix: section?.includes('**Fix:**') }).toEqual({
        code,
        cause: true,
        fix: true,
      });
    }
  });

  test('each entry of the page is a code that the constructs use, in alphabetical order', () => {
    const headings = [...entries().keys()];
    expect(headings).toEqual(codesInSources());
  });

  test("link an error without an AWS page to the code's entry", () => {
    const stack = newStack();
    let error: unknown;
    try {
      new PrivateApiAccess(stack, 'Access', { privateDnsEnabled: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^VpcOrEndpointRequired: /);
    expect((error as Error).message.endsWith(` See: ${errorDocUrl('VpcOrEndpointRequired')}`)).toBe(true);
    expect(errorDocUrl('VpcOrEndpointRequired')).toBe(`${ERRORS_DOC_URL}#${anchorOf('VpcOrEndpointRequired')}`);
  });

  test("link a synthesis error to the code's entry", () => {
    const stack = newStack();
    const domain = new RegionalCustomDomain(stack, 'ApiDomain', {
      domainName: 'payments.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
    domain.urlFor('v2');

    expect(() => Template.fromStack(stack)).toThrow(`See: ${errorDocUrl('UrlForUnmappedBasePath')}`);
  });
});
