import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StackReader, stacksFromCloudAssembly, stacksFromTemplateFiles } from '../../src/graph/from-cloud-assembly';

const HASH = 'b'.repeat(64);

/** A cloud assembly whose one stack has a nested stack found only through the assets manifest. */
function writeAssembly(dir: string, nestedFile: string): void {
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: { Svc: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Svc.template.json' } } },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'Svc.template.json'),
    JSON.stringify({
      Resources: {
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://bucket/${HASH}.json` } },
      },
    }),
  );
  pointAssetAt(dir, nestedFile);
}

function pointAssetAt(dir: string, nestedFile: string): void {
  fs.writeFileSync(
    path.join(dir, 'Svc.assets.json'),
    JSON.stringify({ files: { [HASH]: { source: { path: nestedFile } } } }),
  );
}

function writeNested(dir: string, file: string, logicalId: string): void {
  fs.writeFileSync(path.join(dir, file), JSON.stringify({ Resources: { [logicalId]: { Type: 'AWS::SNS::Topic' } } }));
}

function nestedResources(stacks: ReturnType<typeof stacksFromCloudAssembly>): string[] {
  const nested = stacks.find((s) => s.parent !== undefined);
  return Object.keys(nested?.template.Resources ?? {});
}

describe('the stack reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-'));
    writeNested(dir, 'first.json', 'First');
    writeNested(dir, 'second.json', 'Second');
    writeAssembly(dir, 'first.json');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('keeps no state between runs: a changed assets manifest is read again', () => {
    expect(nestedResources(stacksFromCloudAssembly(dir))).toEqual(['First']);
    pointAssetAt(dir, 'second.json');
    expect(nestedResources(stacksFromCloudAssembly(dir))).toEqual(['Second']);
  });

  test('keeps no state between runs of template files either', () => {
    const file = path.join(dir, 'Svc.template.json');
    expect(nestedResources(stacksFromTemplateFiles([file]))).toEqual(['First']);
    pointAssetAt(dir, 'second.json');
    expect(nestedResources(stacksFromTemplateFiles([file]))).toEqual(['Second']);
  });

  test('each reader owns its cache: a new reader sees what an earlier one had cached', () => {
    const first = new StackReader();
    expect(nestedResources(first.readCloudAssembly(dir))).toEqual(['First']);
    pointAssetAt(dir, 'second.json');
    expect(nestedResources(new StackReader().readCloudAssembly(dir))).toEqual(['Second']);
  });

  test('a reader reads the assets manifests of a directory once, however many nested stacks ask', () => {
    const parent = {
      Resources: Object.fromEntries(
        ['A', 'B', 'C'].map((id) => [
          id,
          { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://bucket/${HASH}.json` } },
        ]),
      ),
    };
    fs.writeFileSync(path.join(dir, 'Svc.template.json'), JSON.stringify(parent));
    const readdir = jest.spyOn(jest.requireActual<typeof fs>('fs'), 'readdirSync');
    try {
      const stacks = new StackReader().readCloudAssembly(dir);
      expect(stacks.map((s) => s.key)).toEqual(['Svc', 'Svc/A', 'Svc/B', 'Svc/C']);
      expect(readdir.mock.calls.filter(([d]) => d === dir)).toHaveLength(1);
    } finally {
      readdir.mockRestore();
    }
  });
});
