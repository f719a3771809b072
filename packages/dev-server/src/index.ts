export * from './temporal-cli';
export * from './dev-server';
export * from './search-attributes';
export * from './s3-server';
export * from './test-server';
export * from './compose';
