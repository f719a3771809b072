export { BlobNotFoundError, readJsonBlob, type BlobStore, type VersionedBlob } from './blob-store';
export { FileBlobStore, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, STALE_LOCK_MS, contentVersion, writeFileAtomic } from './file-blob-store';
export { MAX_KEY_LENGTH, MAX_SEGMENT_LENGTH, UnsafeKeyError, assertSafeKey, compactTime, isSafeSegment, keySegment } from './keys';
export {
  MAX_RECORD_ID_LENGTH, RecordIndex, bucketKey, claim, emptyBucket, expiredClaimants, hourBucket, hourBucketsBetween, parseBucket, recordIdProblem, release, roundBucket, settle, takeOver,
  type BucketIndex, type ClaimOutcome, type Lease,
} from './record-index';
export { legacyDeliveredIds, windowPrefix, type WindowRef } from './window-ref';
export { S3BlobStore, S3StoreError, createS3Client, type S3BlobStoreOptions, type S3ClientSettings } from './s3-blob-store';
