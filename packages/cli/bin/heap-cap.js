#!/usr/bin/env node
'use strict';
// Prints the V8 heap cap (MB) a worker here is sized for (workers/src/sizing.ts): Node takes it only at start, so
// the image's entry point starts node with `--max-old-space-size=$(node bin/heap-cap.js)`.
const { availableMemoryMb, sizeWorker } = require('@entra-ingest/worker/dist/sizing.js');

process.stdout.write(`${sizeWorker(availableMemoryMb()).heapCapMb}\n`);
