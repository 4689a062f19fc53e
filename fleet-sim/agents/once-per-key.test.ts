import { describe, expect, it } from 'vitest';
import { OncePerKey } from './once-per-key.ts';

function sender(landed: Set<string>, outcome: boolean) {
  const sent: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const send = (key: string) => async () => {
    sent.push(key);
    await gate;
    if (outcome) landed.add(key);
    return outcome;
  };
  return { sent, send, release };
}

describe('OncePerKey', () => {
  it('a second dispatch of a key in flight waits for the first and sends nothing', async () => {
    const landed = new Set<string>();
    const once = new OncePerKey(landed);
    const s = sender(landed, true);
    const a = once.dispatch('k1', s.send('k1'));
    const b = once.dispatch('k1', s.send('k1'));
    expect(once.pending).toBe(1);
    s.release();
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(s.sent).toEqual(['k1']);
    expect(once.pending).toBe(0);
  });

  it('a key that landed is not sent again; one that did not land may be', async () => {
    const landed = new Set<string>(['done']);
    const once = new OncePerKey(landed);
    const s = sender(landed, false);
    s.release();
    expect(await once.dispatch('done', s.send('done'))).toBe(true);
    expect(await once.dispatch('open', s.send('open'))).toBe(false);
    expect(await once.dispatch('open', s.send('open'))).toBe(false);
    expect(s.sent).toEqual(['open', 'open']);
  });

  it('ignoreLanded sends a key that landed (the resume-reruns-effect bug)', async () => {
    const landed = new Set<string>(['done']);
    const once = new OncePerKey(landed);
    const s = sender(landed, true);
    s.release();
    expect(await once.dispatch('done', s.send('done'), true)).toBe(true);
    expect(s.sent).toEqual(['done']);
  });

  it('a send that throws frees the key', async () => {
    const once = new OncePerKey(new Set());
    await expect(once.dispatch('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(once.pending).toBe(0);
  });
});
