export * from './schema';
export * from './secrets';
export * from './load';
export * from './connection';
export * from './duration';
export * from './logger';
export * from './temporal-env';
export * from './loopback';
