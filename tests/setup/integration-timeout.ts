// Integration tests run real servers and workers: generous per-test time.
jest.setTimeout(240_000);
