export { SinkError, type DeliveryResult, type EventBatch, type Sink, type SinkDeps } from './types';
export { createSink } from './registry';
export { batchContentKey } from './batch';
export { deliverIsolatingRejects, type IsolatedDelivery, type RejectedEvent } from './bisect';
export { FileSink, fileSinkRelativePath, fileSinkRoot } from './file-sink';
export { HttpSink, IDEMPOTENCY_HEADER, type HttpSinkTuning } from './http-sink';
export { DeadLetterWriter, type DeadLetter } from './dead-letter';
export { S3Sink } from './s3-sink';
