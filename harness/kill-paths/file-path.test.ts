// The file lever on a real file: writes 1 (engaged) and 0 (released) atomically; refuses a target
// without a halt file, any scope but platform and any mode but cancel, without writing.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filePath } from './file-path.ts';
import type { LeverEvent, LeverRequest } from './types.ts';

const req: LeverRequest = { scope: 'platform', target: 'platform', mode: 'cancel', reason: 'killdrill run r1: s' };
const pull = async (haltFile: string | undefined, r: LeverRequest, release = false) => {
  const events: LeverEvent[] = [];
  const fleet = { redisUrl: 'redis://127.0.0.1:1', hosts: {}, ...(haltFile ? { haltFile } : {}) };
  await (release ? filePath.release : filePath.engage)(fleet, r, (e) => events.push(e));
  return events;
};

describe('file path', () => {
  it('writes 1 to engage and 0 to release, each confirmed once written', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'killdrill-file-')), 'kill-switch', 'EXECUTION_HALTED');
    const on = await pull(f, req);
    expect(on.map((e) => e.type)).toEqual(['lever-issued', 'lever-ack', 'lever-engaged']);
    expect(readFileSync(f, 'utf8')).toBe('1\n');
    const off = await pull(f, req, true);
    expect(off.map((e) => e.type)).toEqual(['lever-issued', 'lever-ack', 'lever-engaged']);
    expect(readFileSync(f, 'utf8')).toBe('0\n');
  });

  it('refuses, writing nothing: no halt file, a scope other than platform, a mode other than cancel', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'killdrill-file-')), 'EXECUTION_HALTED');
    const last = (es: LeverEvent[]) => es.at(-1) as { type: string; error?: string };
    expect(last(await pull(undefined, req))).toMatchObject({ type: 'lever-failed', error: expect.stringMatching(/this target names none/) });
    expect(last(await pull(f, { ...req, scope: 'fleet', target: 'market-making' }))).toMatchObject({ type: 'lever-failed', error: expect.stringMatching(/scope platform only, not 'fleet'/) });
    expect(last(await pull(f, { ...req, mode: 'freeze' }))).toMatchObject({ type: 'lever-failed', error: expect.stringMatching(/mode 'freeze' cannot be pulled/) });
    expect(existsSync(f)).toBe(false);
  });
});
