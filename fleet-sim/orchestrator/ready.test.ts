// The fleet's start waits for the KillSwitch operator's ready line: a lever pulled before the
// operator could engage (its Redis not yet connected) waited for the 1 s retry and missed the
// CRD path's 1 s budget (seeds 1-10 sweep, 17 of 70 crd-scopes runs).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logHasReady, readyChecks } from './ready.ts';
import type { FleetFile } from '../fleet-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fleetFile(daemons: Array<{ name: string; kind: string }>): FleetFile {
  return {
    redis: { host: '127.0.0.1', port: 1 },
    ports: { broker: 1, venueHttp: 1, gatewayTcp: 1 },
    token: 't',
    config: { keyPrefix: 'p' },
    topology: { hosts: [{ name: 'control', daemons }], bots: [] },
  } as unknown as FleetFile;
}

describe('ready: the KillSwitch operator', () => {
  it('is waited for by its ready line when the topology has one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-ready-'));
    dirs.push(dir);
    const logOf = (n: string) => join(dir, `${n}.log`);
    const r = readyChecks(fleetFile([{ name: 'broker', kind: 'broker' }, { name: 'operator', kind: 'operator' }]), logOf);
    try {
      const op = r.checks.find((c) => c.what.includes('operator'));
      expect(op?.log).toBe(logOf('operator'));
      expect(await op!.check()).toBe(false); // no log yet
      writeFileSync(logOf('operator'), '2026-12-02T13:30:31.114Z killdrill: operator: bot status sync failed\n');
      expect(await op!.check()).toBe(false); // started, not ready
      writeFileSync(logOf('operator'), `{"ready":true,"pid":12045}\n`, { flag: 'a' });
      expect(await op!.check()).toBe(true);
    } finally {
      r.close();
    }
  });

  it('adds no operator check to a fleet without an operator (principal)', () => {
    const r = readyChecks(fleetFile([{ name: 'broker', kind: 'broker' }]), (n) => `/nonexistent/${n}.log`);
    try {
      expect(r.checks.some((c) => c.what.includes('operator'))).toBe(false);
    } finally {
      r.close();
    }
  });

  it('logHasReady: a missing file is not ready', () => {
    expect(logHasReady('/nonexistent/operator.log')).toBe(false);
  });
});
