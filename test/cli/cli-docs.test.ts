/**
 * docs/cli.md shows what `check` prints, in every format, for the bundled example
 * (examples/payments/broken.ts), from a real run: this test fails when the page drifts, and
 * `UPDATE_DOCS=1 npx jest test/cli/cli-docs.test.ts` rewrites its generated blocks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildBroken } from '../../examples/payments/broken';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'cli.md');
/** The example's own folder: the page shows paths as a user running `check cdk.out` there sees them. */
const CWD = path.join(ROOT, 'examples', 'payments');
const OUT = path.join(CWD, 'cdk.out');

function run(args: string[]): string {
  let stdout = '';
  main(args, { stdout: (t) => (stdout += t), stderr: () => undefined, isTTY: false, env: {}, cwd: CWD });
  return stdout;
}

function docBlocks(): { [name: string]: string } {
  fs.rmSync(OUT, { recursive: true, force: true });
  // Creation stack traces off: their absolute file names would differ on every machine.
  const app = new App({
    outdir: OUT,
    context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:disable-creation-stack-traces': true },
  });
  buildBroken(app);
  app.synth();
  try {
    const json = JSON.parse(run(['check', '--format', 'json', OUT]));
    const sarif = JSON.parse(run(['check', '--format', 'sarif', OUT]));
    const run0 = sarif.runs[0];
    const sarifExcerpt = {
      version: sarif.version,
      runs: [
        {
          tool: {
            driver: {
              ...run0.tool.driver,
              version: undefined,
              rules: run0.tool.driver.rules.filter((r: { id: string }) => r.id === run0.results[0].ruleId),
            },
          },
          results: run0.results.slice(0, 1),
        },
      ],
    };
    const junit = run(['check', '--format', 'junit', OUT]).split('\n');
    const failing = junit.findIndex((l) => /<testsuite [^>]*failures="[1-9]/.test(l));
    const suiteEnd = junit.indexOf('  </testsuite>', failing);
    const junitExcerpt = [...junit.slice(0, 3), ...junit.slice(failing, suiteEnd + 1), '  …', '</testsuites>'].join(
      '\n',
    );
    return {
      text: `\`\`\`console\n$ npx api-reachability check cdk.out\n${run(['check', OUT])}\`\`\``,
      json: `\`\`\`json\n${JSON.stringify({ ...json, tool: { name: json.tool.name }, findings: json.findings.slice(0, 1) }, null, 2)}\n\`\`\``,
      sarif: `\`\`\`json\n${JSON.stringify(sarifExcerpt, null, 2)}\n\`\`\``,
      junit: `\`\`\`xml\n${junitExcerpt}\n\`\`\``,
      github: `\`\`\`console\n$ npx api-reachability check --format github cdk.out\n${run(['check', '--format', 'github', OUT])}\`\`\``,
    };
  } finally {
    fs.rmSync(OUT, { recursive: true, force: true });
  }
}

function withBlocks(text: string, blocks: { [name: string]: string }): string {
  let out = text;
  for (const [name, content] of Object.entries(blocks)) {
    const begin = new RegExp(`<!-- cli-output:${name}:begin[^>]*-->`).exec(out);
    const end = out.indexOf(`<!-- cli-output:${name}:end -->`);
    if (!begin || end < begin.index) throw new Error(`docs/cli.md has no cli-output:${name} block`);
    out = `${out.slice(0, begin.index + begin[0].length)}\n\n${content}\n\n${out.slice(end)}`;
  }
  return out;
}

test('docs/cli.md shows what check prints for the bundled example, in every format', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const expected = withBlocks(text, docBlocks());
  if (process.env.UPDATE_DOCS === '1' && expected !== text) fs.writeFileSync(DOC, expected);
  else expect(text).toBe(expected);
});
