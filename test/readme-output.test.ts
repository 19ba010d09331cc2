/**
 * The README's sample `cdk synth` output is what each door prints for the bundled example today
 * (issue G, item 1). `npx projen docgen:synth-output` (run by the build) regenerates it.
 */
import * as fs from 'fs';
import { README, synthOutputs, withOutputs } from '../projenrc/docgen-synth-output';

/** The construct's source line that CDK prints depends on how the code was loaded (ts-node, ts-jest). */
const sourceLine = (text: string) => text.replace(/^\S+\.ts:\d+:\d+$/gm, '<source line>');

test('the README shows what each door prints for the bundled example', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const outputs = synthOutputs();
  expect(outputs.pack).toContain('(ApiReachability)');
  // The cross-VPC case: a spoke VPC that a Route 53 Profile gives the hub's endpoint.
  expect(outputs.pack).toContain(
    'Lambda function Svc/Ledger runs in VPC Net/SpokeVpc, where Route 53 Profile Net/SharedDns',
  );
  expect(outputs.aspect).toMatch(
    /^\[Error at \/Svc\/OrderSync\/Resource\] ApiReachability-PrivateDnsShadowsPublicApi\[/,
  );
  expect(sourceLine(readme)).toBe(sourceLine(withOutputs(readme, outputs)));
});

test('a README without the blocks is refused, not silently left as it is', () => {
  expect(() => withOutputs('# no blocks', { pack: 'x', aspect: 'y' })).toThrow(/synth-output:pack:begin/);
});
