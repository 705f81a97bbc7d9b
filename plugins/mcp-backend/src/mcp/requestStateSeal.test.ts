import { randomBytes } from 'node:crypto';
import { createRequestStateSeal } from './requestStateSeal';

describe('createRequestStateSeal', () => {
  const key = randomBytes(32);

  it('gives a tool its state back, for the principal it was minted for, on any replica', async () => {
    const wire = await createRequestStateSeal(key).mint(
      'secret-request-1',
      'user:default/alice',
    );
    expect(wire).not.toContain('secret-request-1');
    await expect(
      createRequestStateSeal(key).verify(wire, 'user:default/alice'),
    ).resolves.toBe('secret-request-1');
  });

  it('refuses a state that was changed, minted for someone else or under another key', async () => {
    const seal = createRequestStateSeal(key);
    const wire = await seal.mint('secret-request-1', 'user:default/alice');
    const flipped = `${wire.slice(0, -2)}${
      wire.endsWith('A') ? 'B' : 'A'
    }${wire.slice(-1)}`;
    await expect(seal.verify(flipped, 'user:default/alice')).rejects.toThrow();
    await expect(seal.verify(wire, 'user:default/mallory')).rejects.toThrow(
      'bind',
    );
    await expect(
      createRequestStateSeal(randomBytes(32)).verify(
        wire,
        'user:default/alice',
      ),
    ).rejects.toThrow();
    await expect(
      seal.verify('secret-request-1', 'user:default/alice'),
    ).rejects.toThrow();
  });

  it('refuses a state after 15 minutes', async () => {
    const seal = createRequestStateSeal(key);
    const wire = await seal.mint('secret-request-1', 'user:default/alice');
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 16 * 60_000);
    try {
      await expect(seal.verify(wire, 'user:default/alice')).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
  });
});
