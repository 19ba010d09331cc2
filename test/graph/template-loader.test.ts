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

describe("SAM's Globals", () => {
  const template = (globals: object, resources: object) =>
    parseTemplate(JSON.stringify({ Transform: 'AWS::Serverless-2016-10-31', Globals: globals, Resources: resources }));

  test('apply to the resources of their section: own primitives win, mappings merge, lists add up', () => {
    const t = template(
      {
        Function: {
          Runtime: 'nodejs20.x',
          Timeout: 10,
          VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
          Environment: {
            Variables: { API_URL: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/', STAGE: 'prod' },
          },
          Layers: ['layer-a'],
        },
      },
      {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: { Timeout: 30, Environment: { Variables: { STAGE: 'dev' } }, Layers: ['layer-b'] },
        },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      },
    );
    expect((t.Resources as any).Fn.Properties).toEqual({
      Runtime: 'nodejs20.x',
      Timeout: 30,
      VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
      Environment: {
        Variables: { API_URL: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/', STAGE: 'dev' },
      },
      Layers: ['layer-a', 'layer-b'],
    });
    expect((t.Resources as any).Table.Properties).toEqual({});
  });

  test('an intrinsic function is a value, not a mapping to merge', () => {
    const t = template(
      { HttpApi: { Domain: { DomainName: { Ref: 'Name' } } } },
      { Api: { Type: 'AWS::Serverless::HttpApi', Properties: { Domain: { DomainName: { 'Fn::Sub': 'x.${Zone}' } } } } },
    );
    expect((t.Resources as any).Api.Properties.Domain).toEqual({ DomainName: { 'Fn::Sub': 'x.${Zone}' } });
  });

  test('a resource without Properties gets the globals', () => {
    const t = template({ Api: { StageName: 'v1' } }, { Api: { Type: 'AWS::Serverless::Api' } });
    expect((t.Resources as any).Api.Properties).toEqual({ StageName: 'v1' });
  });
});
