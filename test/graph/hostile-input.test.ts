/**
 * Never hang, never go silent: the graph layer under odd, hostile and huge input. Each test fails
 * (hangs past its timeout, throws a RangeError, loses resources …) without the guard it names.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { analyzeGraph, analyzeTemplateFiles, graphOfApp } from '../../src/analyze';
import { stacksFromTemplateFiles } from '../../src/graph/from-cloud-assembly';
import { ResourceGraph } from '../../src/graph/resource-graph';
import * as loader from '../../src/graph/template-loader';
import { parseTemplate, TemplateLoadError } from '../../src/graph/template-loader';
import { Concat, describe as describeValue, Opaque, Value } from '../../src/graph/values';

const HANG = 20_000;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
}

function write(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function loadError(f: () => unknown): TemplateLoadError {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TemplateLoadError);
  expect((error as Error).message).not.toContain('\n');
  return error as TemplateLoadError;
}

/** `[[[ … 'x' … ]]]`, `depth` levels deep, in JSON. */
function deepJson(depth: number): string {
  return '['.repeat(depth) + '"x"' + ']'.repeat(depth);
}

/** `{"a": {"a": … 'x' … }}`, `depth` levels deep, in JSON. */
function deepJsonObject(depth: number): string {
  return '{"a":'.repeat(depth) + '"x"' + '}'.repeat(depth);
}

function graphOf(template: unknown): ResourceGraph {
  return ResourceGraph.fromStacks([{ key: 'S', name: 'S', template: template as any }]);
}

/** A flow mapping less indented than its key: strict YAML 1.2 refuses it, so the lenient reader reads the file. */
const LENIENT_ONLY = '\n      Q: {\n"a": 1\n}\n';

describe('YAML aliases (billion laughs)', () => {
  const laughs = (prefix: string[] = []) => {
    const lines = [...prefix, 'L0: &L0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i <= 9; i++) {
      lines.push(
        `L${i}: &L${i} [${Array(9)
          .fill(`*L${i - 1}`)
          .join(', ')}]`,
      );
    }
    lines.push('Resources:', '  A:', '    Type: X', '    Properties:', '      P: *L9');
    return lines.join('\n');
  };

  test(
    'a template whose aliases expand past the budget is refused with one line, not expanded',
    () => {
      const text = laughs();
      expect(text.length).toBeLessThan(700);
      const e = loadError(() => parseTemplate(text, 'laughs.yaml'));
      expect(e.message).toMatch(/^laughs\.yaml: .*alias/);
    },
    HANG,
  );

  test(
    'the lenient fallback reader is held to the same budget',
    () => {
      const text = laughs() + LENIENT_ONLY;
      const e = loadError(() => parseTemplate(text, 'laughs.yaml'));
      expect(e.message).toMatch(/^laughs\.yaml: .*alias/);
    },
    HANG,
  );

  test('the lenient reader reads a few aliases, and refuses an anchor that holds itself', () => {
    const few = ['Common: &c { Timeout: 3 }', 'Resources:', '  A:', '    Type: X', '    Properties:', '      P: *c'];
    expect((parseTemplate(few.join('\n') + LENIENT_ONLY).Resources as any).A.Properties).toEqual({
      P: { Timeout: 3 },
      Q: { a: 1 },
    });
    const self = [...few, '      S: &s [*s]'].join('\n') + LENIENT_ONLY;
    try {
      parseTemplate(self, 'self.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateLoadError);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  test('a few aliases still read as their values', () => {
    const t = parseTemplate(
      ['Common: &c { Timeout: 3, Tags: [a, b] }', 'Resources:', '  A:', '    Type: X', '    Properties: *c'].join('\n'),
    );
    expect((t.Resources as any).A.Properties).toEqual({ Timeout: 3, Tags: ['a', 'b'] });
  });
});

describe('nested-stack cycles', () => {
  const nestedAt = (file: string) => ({
    Type: 'AWS::CloudFormation::Stack',
    Metadata: { 'aws:asset:path': file },
    Properties: { TemplateURL: 'https://bucket/x.json' },
  });

  test(
    'a template that nests itself is refused, naming the cycle',
    () => {
      const dir = tmpDir();
      const file = write(dir, 'self.json', { Resources: { A: nestedAt('self.json'), B: nestedAt('self.json') } });
      const e = loadError(() => stacksFromTemplateFiles([file]));
      expect(e.message).toMatch(/cycle/);
      expect(e.message).toContain('self.json → self.json');
    },
    HANG,
  );

  test(
    'a cycle of two templates is refused, naming both',
    () => {
      const dir = tmpDir();
      const a = write(dir, 'a.json', { Resources: { B1: nestedAt('b.json'), B2: nestedAt('b.json') } });
      write(dir, 'b.json', { Resources: { A1: nestedAt('a.json'), A2: nestedAt('a.json') } });
      const e = loadError(() => stacksFromTemplateFiles([a]));
      expect(e.message).toContain('a.json → b.json → a.json');
    },
    HANG,
  );

  test('a template reached by two paths (a diamond) is two stacks, read from its file once', () => {
    const dir = tmpDir();
    const top = write(dir, 'top.json', { Resources: { L: nestedAt('mid.json'), R: nestedAt('mid.json') } });
    write(dir, 'mid.json', { Resources: { L: nestedAt('leaf.json'), R: nestedAt('leaf.json') } });
    write(dir, 'leaf.json', { Resources: { T: { Type: 'AWS::SNS::Topic' } } });
    const read = jest.spyOn(loader, 'readTemplateFile');
    try {
      const stacks = stacksFromTemplateFiles([top]);
      expect(stacks.map((s) => s.key).sort()).toEqual([
        'top',
        'top/L',
        'top/L/L',
        'top/L/R',
        'top/R',
        'top/R/L',
        'top/R/R',
      ]);
      const leafReads = read.mock.calls.filter((c) => String(c[0]).endsWith('leaf.json'));
      expect(leafReads.length).toBe(1);
    } finally {
      read.mockRestore();
    }
  });

  test(
    'a chain of diamonds that would make millions of stacks is refused, not built',
    () => {
      const dir = tmpDir();
      for (let i = 0; i < 30; i++) {
        write(dir, `t${i}.json`, { Resources: { L: nestedAt(`t${i + 1}.json`), R: nestedAt(`t${i + 1}.json`) } });
      }
      write(dir, 't30.json', { Resources: { T: { Type: 'AWS::SNS::Topic' } } });
      const e = loadError(() => stacksFromTemplateFiles([path.join(dir, 't0.json')]));
      expect(e.message).toMatch(/nested stacks/);
    },
    HANG,
  );
});

describe('Fn::GetStackOutput', () => {
  test(
    'is evaluated once per output, however many uses fan out',
    () => {
      // Each output selects from ten uses of the next one: 10^15 evaluations without a memo.
      const outputs: Record<string, unknown> = {};
      const use = (i: number) => ({ 'Fn::GetStackOutput': { StackName: 'S', OutputName: `O${i}` } });
      for (let i = 0; i < 15; i++) outputs[`O${i}`] = { Value: { 'Fn::Select': [0, Array(10).fill(use(i + 1))] } };
      outputs.O15 = { Value: 'end' };
      const g = graphOf({ Resources: { A: { Type: 'X', Properties: { P: use(0) } } }, Outputs: outputs });
      expect(g.get('S|A')!.properties.P).toBe('end');
    },
    HANG,
  );

  test(
    'outputs that each join two uses of the next one do not build a string of a billion parts',
    () => {
      const outputs: Record<string, unknown> = {};
      const use = (i: number) => ({ 'Fn::GetStackOutput': { StackName: 'S', OutputName: `O${i}` } });
      for (let i = 0; i < 40; i++) outputs[`O${i}`] = { Value: { 'Fn::Join': ['', [use(i + 1), use(i + 1)]] } };
      outputs.O40 = { Value: { 'Fn::Join': ['', ['x', { Ref: 'AWS::AccountId' }]] } };
      const g = graphOf({ Resources: { A: { Type: 'X', Properties: { P: use(0) } } }, Outputs: outputs });
      const p = g.get('S|A')!.properties.P;
      expect(p instanceof Concat ? p.parts.length : 1).toBeLessThan(20_000);
    },
    HANG,
  );

  test(
    'that refers to itself is unknown',
    () => {
      const self = { 'Fn::GetStackOutput': { StackName: 'S', OutputName: 'O' } };
      const g = graphOf({
        Resources: { A: { Type: 'X', Properties: { P: self, Q: { 'Fn::Join': ['', [self, self]] } } } },
        Outputs: { O: { Value: { 'Fn::Join': ['', [self, self]] } } },
      });
      const { P, Q } = g.get('S|A')!.properties;
      expect(P).toEqual(new Opaque('stack-output', 'S.O'));
      expect(Q).toEqual(new Concat([P as Opaque, P as Opaque]));
    },
    HANG,
  );
});

describe('deep nesting', () => {
  test.each([5_000, 100_000])(
    'a JSON template %i levels deep in Properties, TemplateURL and Globals is read, the deep values unknown',
    (depth) => {
      const dir = tmpDir();
      const text =
        '{"Transform": "AWS::Serverless-2016-10-31",' +
        `"Globals": {"Function": {"Environment": ${deepJsonObject(depth)}}},` +
        '"Resources": {' +
        `"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Environment": ${deepJsonObject(depth)}}},` +
        `"Deep": {"Type": "X", "Properties": {"P": ${deepJson(depth)}}},` +
        `"Nested": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": ${deepJson(depth)}}}` +
        '}}';
      const file = write(dir, 'deep.json', text);
      const a = analyzeTemplateFiles([file]);
      expect(a.diagnostics).toEqual([]);
      const g = ResourceGraph.fromStacks(stacksFromTemplateFiles([file]));
      expect(g.get('deep|Deep')).toBeDefined();
      expect(g.get('deep|Fn')).toBeDefined();
      expect(JSON.stringify(g.get('deep|Deep')!.properties, (_k, v) => (v instanceof Opaque ? 'OPAQUE' : v))).toContain(
        'OPAQUE',
      );
    },
    60_000,
  );

  test.each([5_000, 100_000])(
    'a YAML template %i levels deep is read or refused with one line, never a RangeError',
    (depth) => {
      const dir = tmpDir();
      const text = [
        'Transform: AWS::Serverless-2016-10-31',
        `Globals: {Function: {Environment: ${deepJsonObject(depth)}}}`,
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        `    Properties: {Environment: ${deepJsonObject(depth)}}`,
        '  Deep:',
        '    Type: X',
        `    Properties: {P: ${deepJson(depth)}}`,
        '  Nested:',
        '    Type: AWS::CloudFormation::Stack',
        `    Properties: {TemplateURL: ${deepJson(depth)}}`,
      ].join('\n');
      const file = write(dir, 'deep.yaml', text);
      try {
        const a = analyzeTemplateFiles([file]);
        expect(a.diagnostics).toEqual([]);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateLoadError);
        expect((e as Error).message).not.toContain('\n');
      }
    },
    60_000,
  );

  test('describe() of a deep value does not throw', () => {
    let v: Value = 'x';
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(typeof describeValue(v)).toBe('string');
  });

  test('an unknown intrinsic with a deep argument is unknown', () => {
    const text = `{"Resources": {"A": {"Type": "X", "Properties": {"P": {"Fn::If": ${deepJson(100_000)}}}}}}`;
    const g = graphOf(JSON.parse(text));
    expect(g.get('S|A')!.properties.P).toBeInstanceOf(Opaque);
  });

  test('the construct-tree reader keeps a resource with deep properties', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    let v: unknown = 'x';
    for (let i = 0; i < 5_000; i++) v = { a: v };
    // A type the facts read: the others are not rendered at all (test/graph/tree-reader.test.ts).
    new CfnResource(stack, 'R', { type: 'AWS::Lambda::Function', properties: { P: v } });
    const g = graphOfApp(stack);
    expect(g.ofType('AWS::Lambda::Function').length).toBe(1);
  });
});

describe('keys that are names of Object.prototype', () => {
  test.each(['json', 'yaml'])('a resource named __proto__ beside others (%s): all of them are read', (format) => {
    const ids = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'Topic'];
    const text =
      format === 'json'
        ? `{"Resources": {${ids.map((id) => `"${id}": {"Type": "AWS::SNS::Topic"}`).join(', ')}}}`
        : ['Resources:', ...ids.flatMap((id) => [`  ${id}:`, '    Type: AWS::SNS::Topic'])].join('\n');
    const g = graphOf(parseTemplate(text));
    expect(g.ofType('AWS::SNS::Topic').map((r) => r.logicalId)).toEqual([...ids].sort());
  });

  test('under SAM Globals too, and as property names', () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    Timeout: 3',
      'Resources:',
      '  __proto__:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      __proto__: { a: 1 }',
      '      constructor: 2',
      '  Other:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {}',
    ].join('\n');
    const g = graphOf(parseTemplate(text));
    // SAM functions are read as the Lambda functions the transform makes, with the roles it makes.
    const ids = g.ofType('AWS::Lambda::Function').map((r) => r.logicalId);
    expect(ids).toEqual(['Other', '__proto__']);
    expect(g.get('S|__proto__Role')?.type).toBe('AWS::IAM::Role');
    const props = g.get('S|__proto__')!.properties;
    expect(Object.keys(props).sort()).toEqual(['Role', 'Timeout', '__proto__', 'constructor']);
    expect(props.constructor).toBe(2);
    expect(Object.getPrototypeOf(props)).not.toEqual({ a: 1 });
  });

  test('a Ref to a name of Object.prototype is not a parameter', () => {
    const g = graphOf({ Resources: { A: { Type: 'X', Properties: { P: { Ref: 'toString' } } } }, Parameters: {} });
    expect((g.get('S|A')!.properties.P as Opaque).kind).toBe('unknown-ref');
  });
});

describe('JSON syntax errors', () => {
  test('are reported in JSON terms, with line and column', () => {
    const text = '{\n  "Resources": {\n    "A" {"Type": "X"}\n  }\n}';
    const e = loadError(() => parseTemplate(text, 'templates/x.json'));
    expect(e.message).toBe('templates/x.json: is not valid JSON: unexpected token { at line 3, column 9');
    const extra = loadError(() => parseTemplate('{\n  "Resources": {\n    "A": {"Type": "X"}}}\n}', 'x.json'));
    expect(extra.message).toBe('x.json: is not valid JSON: unexpected token } at line 4, column 1');
  });

  test('an unfinished JSON document says so', () => {
    const e = loadError(() => parseTemplate('{\n  "Resources": {', 'x.json'));
    expect(e.message).toMatch(/^x\.json: is not valid JSON: unexpected end of input at line 2, column 17$/);
  });

  test('JSON that the YAML reader can read (comments, trailing commas) is still read', () => {
    const t = parseTemplate('{\n  "Resources": {"A": {"Type": "X"},},\n}', 'x.json');
    expect(Object.keys(t.Resources!)).toEqual(['A']);
  });
});

describe('deterministic order', () => {
  /** The same JSON with the keys of every object in another order. */
  function reorder(v: unknown, flip: boolean): unknown {
    if (Array.isArray(v)) return v.map((x) => reorder(x, flip));
    if (typeof v !== 'object' || v === null) return v;
    const keys = Object.keys(v).sort();
    if (flip) keys.reverse();
    return Object.fromEntries(keys.map((k) => [k, reorder((v as Record<string, unknown>)[k], flip)]));
  }

  test('findings do not depend on the key order of the template', () => {
    const original = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/endpoints-and-apis.json'), 'utf-8'));
    const results = [reorder(original, false), reorder(original, true)].map((t) => {
      const stacks = [{ key: 'Svc', name: 'Svc', region: 'eu-west-1', account: '123456789012', template: t as any }];
      return JSON.stringify(analyzeGraph(ResourceGraph.fromStacks(stacks)));
    });
    expect(JSON.parse(results[0]).findings.length).toBeGreaterThan(2);
    expect(results[1]).toEqual(results[0]);
  });

  test('resources of several types come in graph order (stack key, then logical id)', () => {
    const g = graphOf({ Resources: { B: { Type: 'T1' }, A: { Type: 'T2' }, C: { Type: 'T1' } } });
    expect(g.ofType('T1', 'T2').map((r) => r.logicalId)).toEqual(['A', 'B', 'C']);
    expect(g.ofType('T2', 'T1').map((r) => r.logicalId)).toEqual(['A', 'B', 'C']);
    expect(g.resources.map((r) => r.logicalId)).toEqual(['A', 'B', 'C']);
  });
});
