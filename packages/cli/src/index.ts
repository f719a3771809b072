export { buildProgram, runCli } from './program';
export * from './errors';
