import { App, CfnParameter, Fn, Stack, aws_apigateway as apigw, aws_s3 as s3 } from 'aws-cdk-lib';
import { PrivateApiAccess } from '../../src';
import { newStack, privateRestApi, restApi, vpc } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, invokePolicy, summary } from '../fixtures/helpers';

const RULE = 'PrivateApiWithoutResourcePolicy';

function specApi(stack: Stack, extensions: object): apigw.CfnRestApi {
  return new apigw.CfnRestApi(stack, 'SpecApi', {
    name: 'spec',
    endpointConfiguration: { types: ['PRIVATE'] },
    body: {
      openapi: '3.0.1',
      info: { title: 'spec', version: '1' },
      paths: { '/': { get: { 'x-amazon-apigateway-integration': { type: 'MOCK' } } } },
      ...extensions,
    },
  });
}

describe(RULE, () => {
  test('reports a private REST API without a policy, on the API, in both doors', () => {
    const stack = newStack(undefined, newApp());
    privateRestApi(stack, 'Internal');
    const f = findings(stack.node.root as App, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'noPolicy',
        findingId: 'Stack/Internal/Resource',
        resource: expect.objectContaining({ path: 'Stack/Internal/Resource' }),
      }),
    ]);
    expect(f[0].message).toContain('User: anonymous is not authorized');
    expect(f[0].fix).toContain('PrivateApiAccess.allow(api)');
    expect(findingsFromAssembly(stack.node.root as App, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a private API defined by an OpenAPI body without x-amazon-apigateway-policy', () => {
    const stack = newStack();
    specApi(stack, {});
    expect(findings(stack.node.root as App, RULE).map((f) => f.findingId)).toEqual(['Stack/SpecApi']);
  });

  test('passes once PrivateApiAccess allows an endpoint', () => {
    const stack = newStack();
    const api = privateRestApi(stack, 'Internal');
    new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true }).allow(api);
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test('a Warning when the definition is in S3 (BodyS3Location) and there is no Policy property', () => {
    const stack = newStack();
    new apigw.CfnRestApi(stack, 'S3Api', {
      name: 's3',
      endpointConfiguration: { types: ['PRIVATE'] },
      bodyS3Location: { bucket: 'specs', key: 'api.yaml' },
    });
    const f = findings(stack.node.root as App, RULE);
    expect(f).toEqual([expect.objectContaining({ level: 'warning', messageId: 'bodyInS3', findingId: 'Stack/S3Api' })]);
    expect(f[0].message).toContain('x-amazon-apigateway-policy');
    expect(f[0].fix).toContain('Policy property');
  });

  test('a Warning for a SpecRestApi whose definition is an asset (CDK uploads it to S3)', () => {
    const stack = newStack();
    new apigw.SpecRestApi(stack, 'Spec', {
      apiDefinition: apigw.ApiDefinition.fromBucket(s3.Bucket.fromBucketName(stack, 'Specs', 'specs'), 'api.yaml'),
      endpointTypes: [apigw.EndpointType.PRIVATE],
    });
    expect(findings(stack.node.root as App, RULE).map((f) => [f.level, f.messageId])).toEqual([
      ['warning', 'bodyInS3'],
    ]);
  });

  describe('stays silent when', () => {
    test('the OpenAPI body carries the policy', () => {
      const stack = newStack();
      specApi(stack, {
        'x-amazon-apigateway-policy': {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
        },
      });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });

    test('the body is in S3 (BodyS3Location) and a Policy property is given', () => {
      const stack = newStack();
      new apigw.CfnRestApi(stack, 'S3Api', {
        name: 's3',
        endpointConfiguration: { types: ['PRIVATE'] },
        bodyS3Location: { bucket: 'specs', key: 'api.yaml' },
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
        },
      });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });

    test('the body is in S3 and the policy is a parameter', () => {
      const stack = newStack();
      const p = new CfnParameter(stack, 'Policy', { type: 'String' });
      new apigw.CfnRestApi(stack, 'S3Api', {
        name: 's3',
        endpointConfiguration: { types: ['PRIVATE'] },
        bodyS3Location: { bucket: 'specs', key: 'api.yaml' },
        policy: Fn.ref(p.logicalId),
      });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });

    test('the body is in S3 and the API is regional', () => {
      const stack = newStack();
      new apigw.CfnRestApi(stack, 'S3Api', {
        name: 's3',
        endpointConfiguration: { types: ['REGIONAL'] },
        bodyS3Location: { bucket: 'specs', key: 'api.yaml' },
      });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });

    test('the policy is a parameter', () => {
      const stack = newStack();
      const p = new CfnParameter(stack, 'Policy', { type: 'String' });
      const api = privateRestApi(stack, 'Internal');
      (api.node.defaultChild as apigw.CfnRestApi).policy = Fn.ref(p.logicalId);
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });

    test('the API is regional', () => {
      const stack = newStack();
      restApi(stack, 'Public', { endpointTypes: [apigw.EndpointType.REGIONAL] });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });

    test('the policy is given as a PolicyDocument prop', () => {
      const stack = newStack();
      privateRestApi(stack, 'Internal', {
        policy: invokePolicy({ conditions: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } }),
      });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });
  });
});
