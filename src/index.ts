export * from './constructs';
export * from './integrations/api-reachability-checks';
export * from './integrations/api-reachability-aspect';
export * from './integrations/api-reachability';
export * from './integrations/rule-ids';
