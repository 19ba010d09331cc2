import { parseTemplate, TemplateLoadError } from '../../src/graph/template-loader';

describe('the template loader', () => {
  test('reads short-form tags as long-form intrinsics', () => {
    const t = parseTemplate(
      [
        'Resources:',
        '  A:',
        '    Type: X',
        '    Properties:',
        '      R: !Ref B',
        '      G: !GetAtt B.Arn',
        '      S: !Sub "https://${B}.example.com"',
        '      J: !Join ["", [a, !Ref B]]',
        '      I: !ImportValue shared-vpc',
        '      N: !Base64 { "Fn::Sub": "x" }',
      ].join('\n'),
    );
    expect((t.Resources as any).A.Properties).toEqual({
      R: { Ref: 'B' },
      G: { 'Fn::GetAtt': ['B', 'Arn'] },
      S: { 'Fn::Sub': 'https://${B}.example.com' },
      J: { 'Fn::Join': ['', ['a', { Ref: 'B' }]] },
      I: { 'Fn::ImportValue': 'shared-vpc' },
      N: { 'Fn::Base64': { 'Fn::Sub': 'x' } },
    });
  });

  test('reads JSON', () => {
    expect(parseTemplate('{"Resources": {"A": {"Type": "X"}}}').Resources).toEqual({ A: { Type: 'X' } });
  });

  test('reads templates that CloudFormation accepts but strict YAML 1.2 does not', () => {
    const text = [
      'Resources:',
      '  A:',
      '    Type: X',
      '    Properties:',
      '      P: {',
      '        "a": 1',
      '      }',
    ].join('\n');
    expect((parseTemplate(text).Resources as any).A.Properties.P).toEqual({ a: 1 });
  });

  test.each([
    ['broken YAML', 'Resources:\n  - a\n b: [', /t\.yaml: is not valid YAML or JSON \(line \d+, column \d+: /],
    ['a scalar', 'hello', /is not a CloudFormation template \(the document is not a mapping\)/],
    ['a mapping that is no template', 'a: 1', /no Resources, AWSTemplateFormatVersion or Transform/],
    ['Resources that is a list', 'Resources: [1]', /Resources is not a mapping/],
  ])('refuses %s with a one-line reason', (_, text, reason) => {
    let error: unknown;
    try {
      parseTemplate(text, 't.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateLoadError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });
});
