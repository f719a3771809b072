/**
 * Custom search attributes every entra-ingest workflow may set. The dev server registers them at
 * start (`--search-attribute Name=Type`); on a production cluster run the commands printed by
 * `searchAttributeCommands()` once (see README, "Operating it").
 */
export const SEARCH_ATTRIBUTES = {
  EntraFeed: 'Keyword',
  EntraSource: 'Keyword',
  EntraWindowStart: 'Datetime',
  EntraKind: 'Keyword',
  EntraEventsDelivered: 'Int',
  EntraProgressPercent: 'Double',
  EntraCredentialExpiry: 'Datetime',
  EntraStatus: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;

export function searchAttributeArgs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

export function searchAttributeCommands(namespace = 'default'): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).map(
    ([name, type]) =>
      `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${type}`,
  );
}
