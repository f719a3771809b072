export { SinkError, type DeliveryResult, type EventBatch, type Sink, type SinkDeps } from './types';
export { createSink } from './registry';
export { batchContentKey } from './batch';
export { deliverIsolatingRejects, type IsolatedDelivery, type RejectedEvent } from './bisect';
export { FileSink, fileSinkRelativePath, fileSinkRoot } from './file-sink';
export { HttpSink, IDEMPOTENCY_HEADER, type HttpSinkTuning } from './http-sink';
export {
  DEAD_LETTER_PREFIX, DeadLetterWriter, deadLetterCause, deadLetterKey, deadLetterPrefix, readDeadLetters, sinkRefusalCause, updateDeadLetter, type DeadLetter,
  type StoredDeadLetter,
} from './dead-letter';
export { IMPORTED_SUFFIX, LEGACY_DEAD_LETTER_DIR, importLegacyDeadLetters, legacyLetter, type LegacyImport } from './legacy-dead-letters';
export { S3Sink } from './s3-sink';
export { SecurityLakeSink, securityLakeFileName, securityLakeKey, securityLakeLocation, type SecurityLakeLayout } from './security-lake-sink';
export { ocsfEventsToParquet, parquetSchemaElements, PARQUET_LIMITS } from './parquet/write-parquet';
export { ParquetSchemaError, parquetColumnsFor, type ParquetNode } from './parquet/ocsf-parquet-schema';
