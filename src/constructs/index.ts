export * from './regional-custom-domain';
export * from './edge-custom-domain';
export * from './private-api-access';
export * from './private-custom-domain';
