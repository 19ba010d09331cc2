/**
 * Robustness over ~1,500 real-world CloudFormation and SAM templates (`../shared/corpus`, third-party
 * data used only here, never copied into the project). The contract: every template is read
 * without a crash, through every door — checked, or refused with a one-line reason.
 * When the folder is not there (a checkout without `shared/`), the tests say so and skip.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { ApiReachabilityAspect, ApiReachabilityChecks } from '../src';
import { analyzeTemplateFiles } from '../src/analyze';
import { isTrueMissingNestedTemplate } from './fixtures/helpers';
import { TemplateLoadError } from '../src/graph/template-loader';

const CORPUS = path.resolve(__dirname, '../../shared/corpus');
const present = fs.existsSync(path.join(CORPUS, 'index.json'));
if (!present) {
  // eslint-disable-next-line no-console
  console.log(`corpus tests skipped: ${CORPUS}/index.json is not there`);
}

interface Entry {
  readonly path: string;
  readonly parses: boolean;
  readonly invalid_by_design: boolean;
}

const entries: Entry[] = present ? JSON.parse(fs.readFileSync(path.join(CORPUS, 'index.json'), 'utf-8')) : [];
const maybe = present ? describe : describe.skip;

maybe('the real-world template corpus', () => {
  test('holds the templates the index lists', () => {
    expect(entries.length).toBeGreaterThan(1400);
  });

  test('every template is read by the template door without a crash: checked, or refused with a one-line reason', () => {
    const refused: string[] = [];
    let missingNested = 0;
    for (const e of entries) {
      const file = path.join(CORPUS, e.path);
      try {
        const a = analyzeTemplateFiles([file]);
        // A nested template the corpus does not ship is said, in one true line; nothing else is.
        expect(a.diagnostics.filter((d) => !isTrueMissingNestedTemplate(d))).toEqual([]);
        missingNested += a.diagnostics.length;
      } catch (err) {
        if (!(err instanceof TemplateLoadError)) throw new Error(`${e.path}: crashed: ${String((err as Error).stack)}`);
        expect(err.message.startsWith(file)).toBe(true);
        expect(err.message).not.toContain('\n');
        refused.push(e.path);
      }
    }
    // Only broken files are refused: invalid by design, or not even YAML/JSON to a lenient parser.
    const unexpected = refused.filter((p) => {
      const e = entries.find((x) => x.path === p)!;
      return !e.invalid_by_design && e.parses;
    });
    expect(unexpected).toEqual([]);
    expect(refused.length).toBeLessThan(30);
    // 2026-12: eight nested templates (six files) named by the corpus are not in it.
    expect(missingNested).toBeLessThan(20);
  });

  test('every template that CDK can include is checked by both construct-tree doors without a crash', () => {
    // CfnInclude prints deprecation notes of the included L1s; they are CDK's, not ours.
    const quiet = ['log', 'warn', 'error'].map((m) =>
      jest.spyOn(console, m as 'log').mockImplementation(() => undefined),
    );
    let included = 0;
    for (const e of entries) {
      const app = new App();
      const stack = new Stack(app, 'Included');
      try {
        new CfnInclude(stack, 'Template', { templateFile: path.join(CORPUS, e.path) });
      } catch {
        continue; // CDK itself refuses this template: not our door
      }
      included++;
      const report = new ApiReachabilityChecks().validateScope(app);
      expect(report.violations.filter((v) => v.ruleName === 'ApiReachability-InternalError')).toEqual([]);
      new ApiReachabilityAspect().visit(stack);
    }
    quiet.forEach((q) => q.mockRestore());
    expect(included).toBeGreaterThan(1000);
  });
});
