export * from './temporal-cli';
export * from './dev-server';
export * from './search-attributes';
