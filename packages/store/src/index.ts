export { BlobNotFoundError, type BlobStore } from './blob-store';
export { FileBlobStore, writeFileAtomic } from './file-blob-store';
export { MAX_KEY_LENGTH, MAX_SEGMENT_LENGTH, UnsafeKeyError, assertSafeKey, compactTime, isSafeSegment, keySegment } from './keys';
export { DeliveryManifest, windowPrefix, type WindowRef } from './manifest';
