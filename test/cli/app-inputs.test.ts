/** `report` and `explain --app` read an app as `check` does: region and template parameters included. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

const FIXTURES = path.join(__dirname, 'fixtures');
const CWD = path.resolve(__dirname, '..', '..');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    env: {},
    cwd: CWD,
  });
  return { code, stdout, stderr };
}

/** failing.yaml with its endpoint's private DNS taken from a parameter. */
function parameterized(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-app-'));
  const file = path.join(dir, 'param.yaml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(path.join(FIXTURES, 'failing.yaml'), 'utf-8')
      .replace('PrivateDnsEnabled: true', 'PrivateDnsEnabled: !Ref PrivateDns')
      .replace('Resources:\n', "Parameters:\n  PrivateDns:\n    Type: String\n    Default: 'false'\nResources:\n"),
  );
  return file;
}

test('report: a parameter bound decides the verdict it leaves unknown otherwise', () => {
  const file = parameterized();
  const verdicts = (args: string[]) =>
    JSON.parse(run(['report', '--format', 'json', ...args, file]).stdout).links.map(
      (l: { verdict: string }) => l.verdict,
    );
  expect(verdicts([])).toEqual(['unknown']);
  expect(verdicts(['--parameter', 'PrivateDns=true'])).toEqual(['fails']);
  expect(run(['report', '--parameter', 'Nope=1', file])).toMatchObject({
    code: 2,
    stderr: 'api-reachability: no template declares the parameter Nope (given by --parameter or --parameters)\n',
  });
});

test('explain --app: the parameters of the app decide which findings explain the response', () => {
  const file = parameterized();
  const explain = (args: string[]) =>
    run(['explain', '--format', 'json', '--message', 'Forbidden', '--app', file, ...args]).stdout;
  expect(explain([])).not.toContain('ApiReachability-PrivateDnsShadowsPublicApi[param/Api]');
  expect(explain(['--parameter', 'PrivateDns=true'])).toContain(
    'ApiReachability-PrivateDnsShadowsPublicApi[param/Api]',
  );
});
