import { availableMemoryMb, sizeWorker } from '../src/sizing';

describe('sizeWorker', () => {
  it('gives a small container few activities and a small cache', () => {
    expect(sizeWorker(512)).toEqual({ memoryMb: 512, maxConcurrentActivityTaskExecutions: 2, maxCachedWorkflows: 128, heapCapMb: 256 });
  });

  it('grows with memory and stops at what two cores can use', () => {
    expect(sizeWorker(1024)).toEqual({ memoryMb: 1024, maxConcurrentActivityTaskExecutions: 12, maxCachedWorkflows: 250, heapCapMb: 512 });
    expect(sizeWorker(24 * 1024)).toEqual({ memoryMb: 24576, maxConcurrentActivityTaskExecutions: 20, maxCachedWorkflows: 250, heapCapMb: 12288 });
  });

  it('never sizes below a working minimum', () => {
    expect(sizeWorker(64)).toEqual({ memoryMb: 64, maxConcurrentActivityTaskExecutions: 2, maxCachedWorkflows: 16, heapCapMb: 128 });
    expect(sizeWorker(0).maxCachedWorkflows).toBe(10);
  });

  it('is monotonic in memory', () => {
    let last = sizeWorker(0);
    for (let mb = 64; mb <= 8192; mb += 64) {
      const s = sizeWorker(mb);
      expect(s.maxConcurrentActivityTaskExecutions).toBeGreaterThanOrEqual(last.maxConcurrentActivityTaskExecutions);
      expect(s.maxCachedWorkflows).toBeGreaterThanOrEqual(last.maxCachedWorkflows);
      last = s;
    }
  });
});

it('availableMemoryMb reads a positive figure no larger than the machine', () => {
  const mb = availableMemoryMb();
  expect(mb).toBeGreaterThan(0);
  expect(mb).toBeLessThanOrEqual(require('node:os').totalmem() / 1024 / 1024);
});

it('availableMemoryMb takes the memory given in the environment, and refuses nonsense', () => {
  expect(availableMemoryMb({ ENTRA_INGEST_WORKER_MEMORY_MB: '384' })).toBe(384);
  expect(availableMemoryMb({ ENTRA_INGEST_WORKER_MEMORY_MB: '' })).toBe(availableMemoryMb({}));
  expect(() => availableMemoryMb({ ENTRA_INGEST_WORKER_MEMORY_MB: '384MB' })).toThrow(/ENTRA_INGEST_WORKER_MEMORY_MB must be a number of megabytes/);
  expect(() => availableMemoryMb({ ENTRA_INGEST_WORKER_MEMORY_MB: '10' })).toThrow(/at least 64/);
});
