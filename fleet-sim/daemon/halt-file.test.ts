// Seed 003's EXECUTION_HALTED file with real processes: a daemon that boots with the file at 1
// (Kubernetes' default posture) boots Stopped and runs once it says 0; a running daemon halts when
// it says 1 and nothing forbidden leaves after (the gateway check is off: the bots alone stop).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startTestFleet, testBot, waitFor, type TestFleet } from './test-fleet.ts';
import { haltFilePath, readHaltFile, writeHaltFile } from './halt-file.ts';
import { nowMs } from '../model.ts';
import { NdjsonClient } from '../gateway/ndjson-client.ts';

const BOTS = [testBot('mm-a', 'hft'), testBot('sa-a', 'standard')];
const CLASSES = { hft: { tickMs: 20, drainMs: 50 }, standard: { tickMs: 20, drainMs: 50 } };
const phaseOf = async (t: TestFleet, slug: string) => (await t.phases())[slug]?.phase;

describe('halt file', () => {
  let t: TestFleet | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reads truthy values as halted, falsy and missing as not', () => {
    const p = join(process.env.TMPDIR ?? '/tmp', `killdrill-halt-${process.pid}`, 'EXECUTION_HALTED');
    expect(readHaltFile(`${p}.missing`)).toBeNull();
    for (const v of ['1', 'true', 'halted by ops']) {
      writeHaltFile(p, v);
      expect(readHaltFile(p)).toBe(v);
    }
    for (const v of ['0', 'false', 'NO', ' off ', '']) {
      writeHaltFile(p, v);
      expect(readHaltFile(p)).toBeNull();
    }
  });

  it('boots halted from the file (EXECUTION_HALTED: "1") and runs once it says 0', async () => {
    t = await startTestFleet(BOTS, { gatewayCheck: false, pollIntervalS: 0.5, classes: CLASSES }, { daemons: false });
    const file = haltFilePath({ dataDir: t.dir });
    writeHaltFile(file, '1');
    await t.startDaemon('node-a', 'd1');
    await waitFor('both bots reported', async () => (await phaseOf(t!, 'mm-a')) !== undefined && (await phaseOf(t!, 'sa-a')) !== undefined);
    const p = await t.phases();
    expect(p['mm-a']).toMatchObject({ phase: 'Stopped', from: '' });
    expect(p['mm-a'].reason).toMatch(/^EXECUTION_HALTED file .*: 1$/);
    expect((await t.ledger()).filter((e) => e.kind === 'order')).toEqual([]);
    writeHaltFile(file, '0');
    await waitFor('mm-a Running', async () => (await phaseOf(t!, 'mm-a')) === 'Running');
    await waitFor('orders', async () => (await t!.ledger()).some((e) => e.kind === 'order'));
  });

  it('a running daemon halts when the file says 1: every bot Stopped, no order dispatched after', async () => {
    t = await startTestFleet(BOTS, { gatewayCheck: false, pollIntervalS: 0.5, classes: CLASSES });
    await waitFor('orders', async () => (await t!.ledger()).some((e) => e.kind === 'order'));
    writeHaltFile(haltFilePath({ dataDir: t.dir }), '1');
    const at = nowMs();
    await waitFor('both Stopped', async () => (await phaseOf(t!, 'mm-a')) === 'Stopped' && (await phaseOf(t!, 'sa-a')) === 'Stopped');
    const stoppedAt = Math.max(...Object.values(await t.phases()).map((x) => x.at));
    const late = (await t.ledger()).filter((e) => e.kind === 'order' && e.dispatchedAt > stoppedAt);
    expect(late).toEqual([]);
    expect(stoppedAt).toBeGreaterThan(at - 1000);
  });

  it('the gateway (its check on) refuses what the default mode forbids while the file says 1, and forwards again at 0', async () => {
    t = await startTestFleet([], {}, { daemons: false });
    const c = new NdjsonClient({ host: '127.0.0.1', port: t.fleet.ports.gatewayTcp, name: 'gateway' });
    try {
      await c.waitConnected(5000);
      let n = 0;
      const send = async (kind: string) => {
        const r = await c.request({ bot: 'mm-a', fleet: 'mm', tenant: 'tenant-a', group: 'bots', asset: 'AAPL', capability: 'cap', run: 'run-mm-a', side: 'buy', qty: 1, key: `hf-${++n}`, kind, dispatchedAt: Date.now() });
        if (!r.ok) throw new Error(r.error);
        return r.reply;
      };
      const file = haltFilePath({ dataDir: t.dir });
      expect(await send('order')).toMatchObject({ ok: true });
      writeHaltFile(file, '1');
      const refused = await send('order');
      expect(refused).toMatchObject({ ok: false, retryable: false });
      expect(String(refused.error)).toMatch(/^killdrill: kill switch engaged \(EXECUTION_HALTED file .*: 1\)/);
      expect(await send('cancel')).toMatchObject({ ok: true });
      writeHaltFile(file, '0');
      expect(await send('order')).toMatchObject({ ok: true });
    } finally {
      c.close();
    }
  });
});
