import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_sns as sns } from 'aws-cdk-lib';
import * as yaml from 'yaml';
import { stacksFromCloudAssembly, stacksFromTemplateFiles } from '../../src/graph/from-cloud-assembly';
import { stacksFromConstructTree } from '../../src/graph/from-construct-tree';
import { SourcePosition, TemplatePositions } from '../../src/graph/source-positions';
import { parseTemplateSource } from '../../src/graph/template-loader';

/** The start of a position, as `line:column` (both from 1). */
function at(p: SourcePosition | undefined): string | undefined {
  return p && `${p.line}:${p.column}`;
}

/** The text a position covers. */
function covered(text: string, p: SourcePosition | undefined): string | undefined {
  if (!p) return undefined;
  const lines = text.split('\n');
  if (p.line === p.endLine) return lines[p.line - 1].slice(p.column - 1, p.endColumn - 1);
  return [
    lines[p.line - 1].slice(p.column - 1),
    ...lines.slice(p.line, p.endLine - 1),
    lines[p.endLine - 1].slice(0, p.endColumn - 1),
  ].join('\n');
}

function positionsOf(text: string, file = 'template.yaml'): TemplatePositions {
  const { positions } = parseTemplateSource(text, file);
  if (!positions) throw new Error('no positions');
  return positions;
}

const YAML_TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'", // 1
  'Resources:', // 2
  '  Fn:', // 3
  '    Type: AWS::Lambda::Function', // 4
  '    Properties:', // 5
  '      Environment:', // 6
  '        Variables:', // 7
  "          URL: !Sub 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod'", // 8
  '          ARN: !GetAtt Api.Arn', // 9
  '          ID: !Ref Api', // 10
  '      Layers:', // 11
  '        - !Ref Layer', // 12
  '        - arn:aws:lambda:eu-west-1:123456789012:layer:x:1', // 13
  '      VpcConfig:', // 14
  '        SubnetIds: !Split [",", !ImportValue subnets]', // 15
  '  Api:', // 16
  '    Type: AWS::ApiGateway::RestApi', // 17
].join('\n');

describe('source positions of YAML templates', () => {
  const positions = positionsOf(YAML_TEMPLATE);

  test('a property path is placed at its key and covers its value', () => {
    const p = positions.positionOf('Resources/Fn/Properties/Environment/Variables/URL');
    expect(p).toMatchObject({ file: 'template.yaml', line: 8, column: 11, endLine: 8 });
    expect(covered(YAML_TEMPLATE, p)).toBe("URL: !Sub 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod'");
  });

  test('the same path given as segments finds the same place', () => {
    expect(positions.positionOf(['Resources', 'Fn', 'Properties', 'Environment', 'Variables', 'URL'])).toEqual(
      positions.positionOf('Resources/Fn/Properties/Environment/Variables/URL'),
    );
  });

  test('long-form names step into short-form tags (!Sub, !GetAtt, !Ref)', () => {
    const sub = positions.positionOf('Resources/Fn/Properties/Environment/Variables/URL/Fn::Sub');
    expect(at(sub)).toBe('8:16');
    expect(covered(YAML_TEMPLATE, sub)).toBe("!Sub 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod'");
    const getAtt = positions.positionOf('Resources/Fn/Properties/Environment/Variables/ARN/Fn::GetAtt');
    expect(covered(YAML_TEMPLATE, getAtt)).toBe('!GetAtt Api.Arn');
    // `!GetAtt Api.Arn` stands for ['Api', 'Arn']: both halves are the one scalar
    expect(
      covered(YAML_TEMPLATE, positions.positionOf('Resources/Fn/Properties/Environment/Variables/ARN/Fn::GetAtt/1')),
    ).toBe('Api.Arn');
    expect(covered(YAML_TEMPLATE, positions.positionOf('Resources/Fn/Properties/Environment/Variables/ID/Ref'))).toBe(
      '!Ref Api',
    );
  });

  test('list items are numbered from 0 and start at their tag', () => {
    expect(covered(YAML_TEMPLATE, positions.positionOf('Resources/Fn/Properties/Layers/0'))).toBe('!Ref Layer');
    expect(at(positions.positionOf('Resources/Fn/Properties/Layers/1'))).toBe('13:11');
    expect(
      covered(
        YAML_TEMPLATE,
        positions.positionOf('Resources/Fn/Properties/VpcConfig/SubnetIds/Fn::Split/1/Fn::ImportValue'),
      ),
    ).toBe('!ImportValue subnets');
  });

  test('a resource and the whole document have positions too', () => {
    expect(at(positions.positionOf('Resources/Api'))).toBe('16:3');
    expect(at(positions.positionOf(''))).toBe('1:1');
  });

  test('a path the template does not have has no position', () => {
    expect(positions.positionOf('Resources/Fn/Properties/Timeout')).toBeUndefined();
    expect(positions.positionOf('Resources/Nope')).toBeUndefined();
    expect(positions.positionOf('Resources/Fn/Properties/Layers/7')).toBeUndefined();
    expect(positions.positionOf('Resources/Fn/Properties/Layers/x')).toBeUndefined();
    expect(positions.positionOf('Resources/Fn/Type/Deeper')).toBeUndefined();
  });

  test('aliases are followed and the last of duplicate keys wins, as the loader reads them', () => {
    const text = ['Resources:', '  A: &a', '    Type: X', '    Type: Y', '  B: *a'].join('\n');
    const p = positionsOf(text);
    expect(at(p.positionOf('Resources/A/Type'))).toBe('4:5');
    expect(at(p.positionOf('Resources/B/Type'))).toBe('4:5');
  });

  test('a property of a SAM resource that comes from Globals is found in Globals', () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31', // 1
      'Globals:', // 2
      '  Function:', // 3
      '    Environment:', // 4
      '      Variables:', // 5
      '        URL: !GetAtt Api.Url', // 6
      'Resources:', // 7
      '  Fn:', // 8
      '    Type: AWS::Serverless::Function', // 9
      '    Properties:', // 10
      '      Runtime: nodejs20.x', // 11
    ].join('\n');
    const p = positionsOf(text);
    expect(at(p.positionOf('Resources/Fn/Properties/Environment/Variables/URL'))).toBe('6:9');
    expect(at(p.positionOf('Resources/Fn/Properties/Runtime'))).toBe('11:7');
  });
});

const JSON_TEMPLATE = [
  '{', // 1
  '  "Resources": {', // 2
  '    "Fn": {', // 3
  '      "Type": "AWS::Lambda::Function",', // 4
  '      "Properties": {', // 5
  '        "Environment": { "Variables": { "URL": { "Fn::GetAtt": ["Api", "Url"] } } },', // 6
  '        "Layers": [{ "Ref": "Layer" }, "arn:aws:lambda:eu-west-1:123456789012:layer:x:1"],', // 7
  '\t\t"Tabbed": "\\u00e9\\/x"', // 8
  '      }', // 9
  '    }', // 10
  '  }', // 11
  '}', // 12
].join('\n');

describe('source positions of JSON templates', () => {
  test('a property path is placed at its (quoted) key and covers its value', () => {
    const positions = positionsOf(JSON_TEMPLATE, 'template.json');
    const p = positions.positionOf('Resources/Fn/Properties/Environment/Variables/URL');
    expect(p).toMatchObject({ file: 'template.json', line: 6, column: 41 });
    expect(covered(JSON_TEMPLATE, p)).toBe('"URL": { "Fn::GetAtt": ["Api", "Url"] }');
    expect(
      covered(JSON_TEMPLATE, positions.positionOf('Resources/Fn/Properties/Environment/Variables/URL/Fn::GetAtt/1')),
    ).toBe('"Url"');
    expect(covered(JSON_TEMPLATE, positions.positionOf('Resources/Fn/Properties/Layers/0/Ref'))).toBe('"Ref": "Layer"');
    expect(at(positions.positionOf('Resources/Fn/Properties/Tabbed'))).toBe('8:3');
    expect(positions.positionOf('Resources/Fn/Properties/Missing')).toBeUndefined();
  });

  test('JSON is parsed a second time only when a position is asked for, and then once', () => {
    const parse = jest.spyOn(jest.requireActual<typeof yaml>('yaml'), 'parseDocument');
    try {
      const { template, positions } = parseTemplateSource(JSON_TEMPLATE, 'template.json');
      expect(template.Resources).toBeDefined();
      expect(parse).not.toHaveBeenCalled();
      positions!.positionOf('Resources/Fn');
      positions!.positionOf('Resources/Fn/Type');
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('source positions on the raw stacks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'positions-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('template files and their nested stack templates carry their positions', () => {
    const hash = 'a'.repeat(64);
    fs.writeFileSync(path.join(dir, 'nested.yaml'), 'Resources:\n  Inner:\n    Type: AWS::SNS::Topic\n');
    fs.writeFileSync(
      path.join(dir, 'App.assets.json'),
      JSON.stringify({ files: { [hash]: { source: { path: 'nested.yaml' } } } }),
    );
    const parent = {
      Resources: {
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://x/${hash}.json` } },
      },
    };
    fs.writeFileSync(path.join(dir, 'App.template.json'), JSON.stringify(parent, null, 2));
    const stacks = stacksFromTemplateFiles([path.join(dir, 'App.template.json')]);
    expect(stacks.map((s) => s.key)).toEqual(['App', 'App/Child']);
    expect(stacks[0].positions!.positionOf('Resources/Child/Properties/TemplateURL')).toMatchObject({
      file: path.join(dir, 'App.template.json'),
      line: 6,
      column: 9,
    });
    expect(stacks[1].positions!.positionOf('Resources/Inner/Type')).toMatchObject({
      file: path.join(dir, 'nested.yaml'),
      line: 3,
      column: 5,
    });
  });

  test('the stacks of a cloud assembly carry their positions', () => {
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: { Svc: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Svc.template.json' } } },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'Svc.template.json'),
      '{\n  "Resources": {\n    "T": { "Type": "AWS::SNS::Topic" }\n  }\n}\n',
    );
    const [svc] = stacksFromCloudAssembly(dir);
    expect(svc.positions!.positionOf('Resources/T/Type')).toMatchObject({ line: 3, column: 12 });
  });

  test('stacks read from the construct tree have none', () => {
    const app = new App();
    new sns.Topic(new Stack(app, 'Svc'), 'T');
    const stacks = stacksFromConstructTree(app);
    expect(stacks.length).toBe(1);
    expect(stacks[0].positions).toBeUndefined();
  });
});
