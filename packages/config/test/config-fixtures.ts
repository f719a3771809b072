import { ConfigError, parseConfig } from '../src';

/** The smallest valid feed: what every config test starts from. */
export const minimalFeed = {
  id: 'contoso',
  tenantId: '11111111-1111-1111-1111-111111111111',
  clientId: '22222222-2222-2222-2222-222222222222',
  credential: { clientSecret: { env: 'CONTOSO_SECRET' } },
};

/** The problems a config is rejected with; fails the test if it is accepted. */
export function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}
