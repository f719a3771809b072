import { FeedHealth } from '../src/feed-health';

class Expired extends Error {}
const blocking = (err: unknown) => err instanceof Expired;

describe('FeedHealth', () => {
  it('asks once per probe interval while a feed is blocked, however many windows retry', async () => {
    let now = 0;
    const health = new FeedHealth(60_000, () => now);
    let asked = 0;
    const probe = async () => {
      asked++;
      throw new Expired('AADSTS7000222: secret expired');
    };
    await expect(health.check('demo', 'cred-1', probe, blocking)).rejects.toThrow('expired');
    for (let i = 0; i < 50; i++) await expect(health.check('demo', 'cred-1', probe, blocking)).rejects.toThrow('expired');
    expect(asked).toBe(1);
    now += 60_000;
    await expect(health.check('demo', 'cred-1', probe, blocking)).rejects.toThrow('expired');
    expect(asked).toBe(2);
    expect(health.isBlocked('demo')).toBe(true);
  });

  it('probes at once when the credential changed, and opens for everyone when a probe succeeds', async () => {
    const health = new FeedHealth(60_000, () => 0);
    await expect(health.check('demo', 'old', async () => { throw new Expired('x'); }, blocking)).rejects.toThrow();
    expect(await health.check('demo', 'new', async () => 'token ok', blocking)).toBe('token ok');
    expect(health.isBlocked('demo')).toBe(false);
    expect(await health.check('demo', 'new', async () => 'again', blocking)).toBe('again');
  });

  it('shares one probe between concurrent callers', async () => {
    const health = new FeedHealth();
    let asked = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const probe = async () => {
      asked++;
      await gate;
      return 'ok';
    };
    const all = Promise.all(Array.from({ length: 10 }, () => health.check('demo', 'c', probe, blocking)));
    release();
    expect(await all).toEqual(Array(10).fill('ok'));
    expect(asked).toBe(1);
  });

  it('does not block on a transient failure, and keeps feeds apart', async () => {
    const health = new FeedHealth();
    await expect(health.check('a', 'c', async () => { throw new Error('ECONNRESET'); }, blocking)).rejects.toThrow('ECONNRESET');
    expect(health.isBlocked('a')).toBe(false);
    await expect(health.check('a', 'c', async () => { throw new Expired('x'); }, blocking)).rejects.toThrow();
    expect(await health.check('b', 'c', async () => 'b is fine', blocking)).toBe('b is fine');
  });
});
