import { createLogger } from '@entra-ingest/config';
import { sdkLogger } from '../src/sdk-log';

test("the SDK's webpack report and expected notices go to debug; everything else keeps its level", () => {
  const lines: string[] = [];
  const sdk = sdkLogger(createLogger('worker', { level: 'info', format: 'json', write: (l) => lines.push(l) }));
  sdk.info('asset workflow-bundle-1.js 1.7 MiB [emitted]\nruntime modules 937 bytes 4 modules');
  sdk.log('INFO', 'modules by path ./node_modules/ 1.1 MiB\n  ./node_modules/long 45 KiB');
  sdk.warn('No workflows registered, not polling for workflow tasks');
  sdk.info('Workflow bundle created', { size: '1.73MB' });
  sdk.log('WARN', 'Worker heartbeat failed');
  sdk.error('Worker failed');
  expect(lines.map((l) => { const r = JSON.parse(l) as { level: string; msg: string }; return `${r.level} ${r.msg}`; })).toEqual([
    'info Workflow bundle created', 'warn Worker heartbeat failed', 'error Worker failed',
  ]);
});
