/**
 * The CloudFormation and SAM syntax that both the template loader and the source positions need:
 * short-form intrinsic tags and SAM's `Globals` sections.
 */

/** Short-form intrinsic tags of CloudFormation YAML and the long form each stands for. */
export const SHORT_TAGS: { readonly [tag: string]: string } = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAtt': 'Fn::GetAtt',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Sub': 'Fn::Sub',
  '!Transform': 'Fn::Transform',
  '!And': 'Fn::And',
  '!Equals': 'Fn::Equals',
  '!If': 'Fn::If',
  '!Not': 'Fn::Not',
  '!Or': 'Fn::Or',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
  '!GetStackOutput': 'Fn::GetStackOutput',
  '!ForEach': 'Fn::ForEach',
};

/** The long form of a short-form tag applied to a value. */
export function longForm(tag: string, value: unknown): unknown {
  const fn = SHORT_TAGS[tag];
  if (fn === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [fn]: dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : value };
  }
  return { [fn]: value };
}

/** SAM's `Globals` sections and the resource types they apply to. */
export const SAM_GLOBALS: { readonly [section: string]: string } = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  WebSocketApi: 'AWS::Serverless::WebSocketApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  LayerVersion: 'AWS::Serverless::LayerVersion',
};

/** The `Globals` section that applies to resources of this type, if any. */
export function samGlobalsSection(type: unknown): string | undefined {
  return Object.keys(SAM_GLOBALS).find((k) => SAM_GLOBALS[k] === type);
}
