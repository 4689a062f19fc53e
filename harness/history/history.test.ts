import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRecorder, readHistory, parseHistory } from './index.ts';

const roster = [
  { slug: 'mm-aapl', host: 'node-a', daemon: 'market-making-a', fleet: 'market-making', tenant: 'tenant-a', group: 'bots', class: 'hft', asset: 'AAPL', tags: ['trading'] },
  { slug: 'agent-aapl', host: 'node-a', daemon: 'agents-a', fleet: 'agents', tenant: 'tenant-b', group: 'agents', class: 'agent', asset: 'AAPL', tags: ['agents'] },
];

describe('recorder and reader', () => {
  it('writes ops in record order with t, and reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-hist-'));
    let clock = 100;
    const r = createRecorder(join(dir, 'h', 'history.jsonl'), () => clock++);
    r.emit({ type: 'roster', bots: roster });
    r.emit({ type: 'lever-issued', lever: 'kill', path: 'rest', scope: 'fleet', target: 'agents', mode: 'cancel', at: 1000 });
    r.emit({ type: 'phase', slug: 'agent-aapl', phase: 'Draining', at: 1500, from: 'Running', reason: null, host: 'node-a', daemon: 'agents-a' });
    r.close();
    r.emit({ type: 'phase', slug: 'late', phase: 'Running', at: 1, from: null, reason: null, host: 'x', daemon: 'y' });
    expect(r.count()).toBe(3);
    const h = readHistory(r.file);
    expect(h.ops.map((o) => [o.type, o.t])).toEqual([['roster', 100], ['lever-issued', 101], ['phase', 102]]);
    expect(h.inScope().map((b) => b.slug)).toEqual(['agent-aapl']);
    expect(h.killMode()).toBe('cancel');
    expect(Object.isFrozen(h.ops)).toBe(true);
  });

  it('never writes tokens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-hist-'));
    const r = createRecorder(join(dir, 'history.jsonl'));
    r.emit({ type: 'fleet-up', endpoints: { brokerUrl: 'http://x', token: 'sekret-1', releaseToken: 'sekret-2' } });
    r.close();
    const text = readFileSync(r.file, 'utf8');
    expect(text).not.toContain('sekret');
    expect(text).toContain('[redacted]');
  });

  it('a killed writer leaves every op written so far; a torn last line is skipped and counted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-hist-'));
    const file = join(dir, 'history.jsonl');
    const script = `import { createRecorder } from ${JSON.stringify(new URL('./recorder.ts', import.meta.url).pathname)};
      const r = createRecorder(${JSON.stringify(file)});
      for (let i = 0; i < 50; i++) r.emit({ type: 'effect', seq: i, key: 'k' + i, bot: 'b', kind: 'order', dispatchedAt: i, receivedAt: i });
      process.kill(process.pid, 'SIGKILL');`;
    spawnSync(process.execPath, ['--input-type=module', '-e', script]);
    appendFileSync(file, '{"t": 1, "type": "eff');
    const h = readHistory(file);
    expect(h.effects()).toHaveLength(50);
    expect(h.tornLines).toBe(1);
  });

  it('lever helpers: issued, engaged, failed', () => {
    const h = parseHistory(
      [
        { t: 1, type: 'lever-issued', lever: 'kill', path: 'broker-level', scope: 'platform', target: 'platform', mode: 'cancel', level: 2, at: 10 },
        { t: 2, type: 'lever-ack', lever: 'kill', ok: true, detail: {}, at: 12 },
        { t: 3, type: 'lever-engaged', lever: 'kill', at: 12 },
        { t: 4, type: 'lever-issued', lever: 'release', path: 'broker-level', scope: 'platform', target: 'platform', mode: 'cancel', at: 50 },
        { t: 5, type: 'lever-failed', lever: 'release', error: 'killdrill: 403', at: 51 },
      ].map((o) => JSON.stringify(o)).join('\n'),
    );
    expect(h.lever('kill')).toMatchObject({ issuedAt: 10, engagedAt: 12, failed: null, level: 2 });
    expect(h.lever('release')).toMatchObject({ issuedAt: 50, engagedAt: null, failed: 'killdrill: 403' });
    expect(h.killMode()).toBe('cancel');
  });

  it('phase helpers', () => {
    const ph = (phase: string, at: number) => ({ t: at, type: 'phase', slug: 's', phase, at, from: null, reason: null, host: 'h', daemon: 'd' });
    const h = parseHistory([ph('Running', 5), ph('Stopped', 30), ph('Draining', 20)].map((o) => JSON.stringify(o)).join('\n'));
    expect(h.phaseAt('s', 4)).toBeNull();
    expect(h.phaseAt('s', 25)).toBe('Draining');
    expect(h.firstIn('s', ['Draining', 'Stopped'], 10)).toBe(20);
    expect(h.firstIn('s', ['Stopped'], 31)).toBe(31);
    expect(h.firstIn('x', ['Stopped'], 0)).toBeNull();
  });
});
