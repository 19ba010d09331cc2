/**
 * Nested templates named by a local path, as `aws cloudformation package` and the SAM CLI take them
 * before packaging: `AWS::Serverless::Application` `Location` and `AWS::CloudFormation::Stack`
 * `TemplateURL`. They are nested stacks of the template door, with the parameters their parent
 * passes and their outputs read by the parent; URLs are not followed; what cannot be followed is one
 * problem line while the rest is checked; a cycle is refused in one line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readInputs, resolveInputs } from '../../src/cli/inputs';
import { main } from '../../src/cli/main';
import { analyzeRawStacks, analyzeTemplateFiles } from '../../src/engine';
import { StackReader } from '../../src/graph/from-cloud-assembly';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { TemplateLoadError } from '../../src/graph/template-loader';
import { RawStack } from '../../src/graph/types';
import { Concat, ResRef } from '../../src/graph/values';

const FIXTURES = path.join(__dirname, 'fixtures', 'nested');
const SAM = path.join(FIXTURES, 'sam', 'parent.yaml');
const CFN = path.join(FIXTURES, 'cfn', 'parent.yaml');
const NESTED = path.join(FIXTURES, 'shared', 'orders.yaml');

function read(...files: string[]): { stacks: RawStack[]; problems: string[] } {
  const reader = new StackReader();
  const stacks = reader.readTemplateFiles(files).map((s) => ({ ...s, region: 'us-east-1' }));
  return { stacks, problems: reader.problems };
}

function findingsOf(stacks: RawStack[]) {
  return analyzeRawStacks(stacks).findings.map((f) => ({
    rule: f.ruleName,
    stack: f.resource.stack,
    logicalId: f.resource.logicalId,
    templateFile: f.resource.templateFile,
    message: f.message,
  }));
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nested-'));
}

function write(dir: string, name: string, template: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(template));
  return file;
}

const topic = { Type: 'AWS::SNS::Topic' };
const stackAt = (TemplateURL: unknown, extra: object = {}) => ({
  Type: 'AWS::CloudFormation::Stack',
  Properties: { TemplateURL, ...extra },
});
const appAt = (Location: unknown, extra: object = {}) => ({
  Type: 'AWS::Serverless::Application',
  Properties: { Location, ...extra },
});

/** The nested template of the fixtures, with a resource policy on its API that admits `${EndpointId}`. */
function ordersWithPolicy(): unknown {
  const raw = fs.readFileSync(NESTED, 'utf-8');
  const withPolicy = raw.replace(
    '      EndpointConfiguration:',
    [
      '      Policy:',
      '        Statement:',
      '          - Effect: Allow',
      "            Principal: '*'",
      '            Action: execute-api:Invoke',
      "            Resource: 'execute-api:/*'",
      '            Condition: { StringEquals: { aws:SourceVpce: !Ref EndpointId } }',
      '      EndpointConfiguration:',
    ].join('\n'),
  );
  expect(withPolicy).not.toBe(raw);
  return withPolicy;
}

describe('a SAM application with a local Location', () => {
  test('is a nested stack named after its parent and logical id; rule 5 fires on its private API without a policy', () => {
    const { stacks, problems } = read(SAM);
    expect(problems).toEqual([]);
    expect(stacks.map((s) => [s.key, s.parent, s.templateFile])).toEqual([
      ['parent', undefined, SAM],
      ['parent/Orders', { key: 'parent', logicalId: 'Orders' }, NESTED],
    ]);
    expect(findingsOf(stacks)).toEqual([
      expect.objectContaining({
        rule: 'PrivateApiWithoutResourcePolicy',
        stack: 'parent/Orders',
        logicalId: 'Api',
        templateFile: NESTED,
      }),
    ]);
    expect(findingsOf(stacks)[0].message).toContain('Private REST API parent/Orders/Api (PRIVATE)');
  });

  test('its parameters are what the parent passes (a reference: the same value as in the parent; a literal), its outputs are read by the parent', () => {
    const g = ResourceGraph.fromStacks(read(SAM).stacks);
    const api = g.get('parent/Orders|Api')!.properties;
    expect(api.Name).toBe('orders');
    expect(api.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: [new ResRef('parent|Endpoint')] });
    const url = g.get('parent|Caller')!.properties.Environment;
    expect(url).toEqual({
      Variables: {
        ORDERS_URL: new Concat([
          'https://',
          new ResRef('parent/Orders|Api'),
          '.execute-api.us-east-1.amazonaws.com/prod/',
        ]),
      },
    });
  });

  test('its translated CloudFormation (an AWS::CloudFormation::Stack with the local TemplateURL) gives the same findings', () => {
    const cfn = read(CFN);
    expect(cfn.problems).toEqual([]);
    expect(cfn.stacks.map((s) => s.key)).toEqual(['parent', 'parent/Orders']);
    expect(findingsOf(cfn.stacks)).toEqual(findingsOf(read(SAM).stacks));
  });

  test.each([
    ['SAM', 'sam', 'Location'],
    ['CloudFormation', 'cfn', 'TemplateURL'],
  ])('fix (%s): the nested API has a policy admitting the endpoint the parent passes: silent', (_, folder, key) => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, folder));
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.copyFileSync(path.join(FIXTURES, folder, 'parent.yaml'), path.join(dir, folder, 'parent.yaml'));
    fs.writeFileSync(path.join(dir, 'shared', 'orders.yaml'), ordersWithPolicy() as string);
    const parent = fs.readFileSync(path.join(dir, folder, 'parent.yaml'), 'utf-8');
    expect(parent).toContain(`${key}: ../shared/orders.yaml`);
    expect(findingsOf(read(path.join(dir, folder, 'parent.yaml')).stacks)).toEqual([]);
  });

  test('near miss: the parent passes another endpoint than its caller’s: rule 6 names the caller’s endpoint', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'cfn'));
    fs.mkdirSync(path.join(dir, 'shared'));
    const parent = fs
      .readFileSync(CFN, 'utf-8')
      .replace('EndpointId: !Ref Endpoint', 'EndpointId: !Ref OtherEndpoint')
      .replace(
        '  Orders:\n',
        [
          '  OtherVpc:',
          '    Type: AWS::EC2::VPC',
          '    Properties: { CidrBlock: 10.1.0.0/16 }',
          '  OtherEndpoint:',
          '    Type: AWS::EC2::VPCEndpoint',
          '    Properties:',
          '      VpcEndpointType: Interface',
          '      ServiceName: !Sub com.amazonaws.${AWS::Region}.execute-api',
          '      VpcId: !Ref OtherVpc',
          '      PrivateDnsEnabled: true',
          '  Orders:\n',
        ].join('\n'),
      );
    fs.writeFileSync(path.join(dir, 'cfn', 'parent.yaml'), parent);
    fs.writeFileSync(path.join(dir, 'shared', 'orders.yaml'), ordersWithPolicy() as string);
    const f = findingsOf(read(path.join(dir, 'cfn', 'parent.yaml')).stacks);
    expect(f.map((x) => [x.rule, x.stack, x.logicalId])).toEqual([
      ['PrivateApiPolicyExcludesCaller', 'parent/Orders', 'Api'],
    ]);
    expect(f[0].message).toContain('parent/Endpoint');
  });
});

describe('what a nested template’s location may be', () => {
  test('a path relative to the folder of the template that holds it, at every level, also outside the top folder', () => {
    const dir = tmpDir();
    const top = write(dir, 'app/top.json', { Resources: { Mid: appAt('stacks/mid.json') } });
    write(dir, 'app/stacks/mid.json', { Resources: { Leaf: stackAt('../../common/leaf.json') } });
    write(dir, 'common/leaf.json', { Resources: { T: topic } });
    const { stacks, problems } = read(top);
    expect(problems).toEqual([]);
    expect(stacks.map((s) => [s.key, path.relative(dir, s.templateFile!)])).toEqual([
      ['top', path.join('app', 'top.json')],
      ['top/Mid', path.join('app', 'stacks', 'mid.json')],
      ['top/Mid/Leaf', path.join('common', 'leaf.json')],
    ]);
  });

  test('an absolute path is followed', () => {
    const dir = tmpDir();
    const leaf = write(dir, 'leaf.json', { Resources: { T: topic } });
    const top = write(dir, 'top.json', { Resources: { N: stackAt(leaf) } });
    expect(read(top).stacks.map((s) => s.key)).toEqual(['top', 'top/N']);
  });

  test.each([
    ['an S3 TemplateURL', stackAt('https://bucket.s3.amazonaws.com/orders.yaml')],
    ['an s3:// TemplateURL', stackAt('s3://bucket/orders.yaml')],
    ['a TemplateURL made by an intrinsic', stackAt({ 'Fn::Sub': 'https://${Bucket}.s3.amazonaws.com/orders.yaml' })],
    [
      'a Serverless Application Repository application',
      appAt({ ApplicationId: 'arn:aws:serverlessrepo:us-east-1:1:applications/x', SemanticVersion: '1.0.0' }),
    ],
    ['an S3 Location', appAt('s3://bucket/orders.yaml')],
    ['a dynamic reference as TemplateURL', stackAt('{{resolve:ssm:/app/template-url:1}}')],
    ['a dynamic reference as Location', appAt('{{resolve:ssm:/app/orders.yaml}}')],
    ['no location at all', { Type: 'AWS::CloudFormation::Stack' }],
  ])('%s is not followed: no nested stack, no problem, no crash', (_, resource) => {
    const dir = tmpDir();
    write(dir, 'orders.yaml', { Resources: { T: topic } }); // a file of that name is there: still not followed
    const top = write(dir, 'top.json', { Resources: { N: resource, Bucket: { Type: 'AWS::S3::Bucket' } } });
    const { stacks, problems } = read(top);
    expect(stacks.map((s) => s.key)).toEqual(['top']);
    expect(problems).toEqual([]);
    expect(() => analyzeRawStacks(stacks)).not.toThrow();
  });

  test.each([
    [
      'a missing file',
      appAt('./missing.yaml'),
      /N nests \.\/missing\.yaml, which does not exist: the resources of that template are not checked$/,
    ],
    ['a folder', stackAt('.'), /N nests \., which is not a file/],
  ])('%s is one problem line naming the parent and the path; the rest of the app is read', (_, resource, problem) => {
    const dir = tmpDir();
    const top = write(dir, 'top.json', { Resources: { N: resource, Other: stackAt('ok.json') } });
    write(dir, 'ok.json', { Resources: { T: topic } });
    const { stacks, problems } = read(top);
    expect(stacks.map((s) => s.key)).toEqual(['top', 'top/Other']);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${top}: `)).toBe(true);
    expect(problems[0]).toMatch(problem);
    expect(problems[0]).not.toContain('\n');
  });

  test('the engine entry points report what could not be followed as a diagnostic, and check the rest', () => {
    const dir = tmpDir();
    const top = write(dir, 'top.json', { Resources: { N: appAt('./missing.yaml'), Other: stackAt('ok.json') } });
    write(dir, 'ok.json', { Resources: { T: topic } });
    const { diagnostics } = analyzeTemplateFiles([top]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/N nests \.\/missing\.yaml, which does not exist/);
    // A template with nothing to follow has none.
    expect(analyzeTemplateFiles([path.join(dir, 'ok.json')]).diagnostics).toEqual([]);
  });

  test('a SAM application that nests its own template is refused in one line naming the cycle', () => {
    const dir = tmpDir();
    const a = write(dir, 'a.json', { Transform: 'AWS::Serverless-2016-10-31', Resources: { B: appAt('./b.json') } });
    write(dir, 'b.json', { Resources: { A: stackAt('a.json') } });
    let error: unknown;
    try {
      read(a);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateLoadError);
    expect((error as Error).message).toMatch(
      /nests itself: its nested stacks form a cycle \(.*a\.json → b\.json → a\.json\)$/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  test('nesting deeper than the limit is one problem line; the levels above are read', () => {
    const dir = tmpDir();
    for (let i = 0; i < 30; i++) write(dir, `t${i}.json`, { Resources: { Next: stackAt(`t${i + 1}.json`) } });
    write(dir, 't30.json', { Resources: { T: topic } });
    const { stacks, problems } = read(path.join(dir, 't0.json'));
    expect(stacks).toHaveLength(22); // the top stack and 21 levels below it
    expect(problems).toEqual([
      expect.stringMatching(
        /t21\.json: Next nests a template more than 21 levels below the top stack: it is not read$/,
      ),
    ]);
  });
});

describe('the command line', () => {
  test('a folder that holds the parent and its nested template reads the nested one once, as the nested stack', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'sam'));
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.copyFileSync(SAM, path.join(dir, 'sam', 'parent.yaml'));
    fs.copyFileSync(NESTED, path.join(dir, 'shared', 'orders.yaml'));
    const stacks = readInputs(resolveInputs([dir]));
    expect(stacks.map((s) => s.key)).toEqual(['parent', 'parent/Orders']);
  });

  test('a missing nested template is a warning on stderr; the findings of the rest are reported', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'sam'));
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.writeFileSync(
      path.join(dir, 'sam', 'parent.yaml'),
      fs
        .readFileSync(SAM, 'utf-8')
        .replace(
          '  Caller:\n',
          '  Missing:\n    Type: AWS::Serverless::Application\n    Properties: { Location: ./gone.yaml }\n  Caller:\n',
        ),
    );
    fs.copyFileSync(NESTED, path.join(dir, 'shared', 'orders.yaml'));
    let stdout = '';
    let stderr = '';
    const code = main(['check', '--region', 'us-east-1', path.join('sam', 'parent.yaml')], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      isTTY: false,
      env: {},
      cwd: dir,
    });
    expect(stderr).toBe(
      `api-reachability: warning: ${path.join('sam', 'parent.yaml')}: Missing nests ./gone.yaml, which does not exist: the resources of that template are not checked\n`,
    );
    expect(code).toBe(1);
    expect(stdout).toContain('PrivateApiWithoutResourcePolicy[parent/Orders/Api]');
  });
});
