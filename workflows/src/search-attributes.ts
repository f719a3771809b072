import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Typed keys for the custom search attributes the dev server registers (packages/dev-server/src/search-attributes.ts
// lists the same names; a unit test keeps the two in step).
export const SA = {
  feed: defineSearchAttributeKey('EntraFeed', SearchAttributeType.KEYWORD),
  source: defineSearchAttributeKey('EntraSource', SearchAttributeType.KEYWORD),
  windowStart: defineSearchAttributeKey('EntraWindowStart', SearchAttributeType.DATETIME),
  kind: defineSearchAttributeKey('EntraKind', SearchAttributeType.KEYWORD),
  eventsDelivered: defineSearchAttributeKey('EntraEventsDelivered', SearchAttributeType.INT),
  progressPercent: defineSearchAttributeKey('EntraProgressPercent', SearchAttributeType.DOUBLE),
  credentialExpiry: defineSearchAttributeKey('EntraCredentialExpiry', SearchAttributeType.DATETIME),
  status: defineSearchAttributeKey('EntraStatus', SearchAttributeType.KEYWORD),
} as const;
