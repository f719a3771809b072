import { DefaultFailureConverter } from '@temporalio/common';

// Loaded by path (DataConverter.failureConverterPath) so the workflow bundle uses it too. With encodeCommonAttributes,
// error messages and stack traces move into an encoded payload, which the payload codecs then encrypt: failures
// often quote the identifiers encryption is meant to keep out of history.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
