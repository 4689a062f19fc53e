// The seed-000 quarterly drill as its protocol says, on ONE simulated fleet (issue 12 item 4):
// scenarios/drills/quarterly.yaml run as a user runs it — CRD at platform scope, then REST,
// then Redis, each leg released and every bot Running again before the next — passes by all three
// paths in one run, with one fleet (started once, gone afterwards), one merged kill_switch_drills
// document that validates against its schema, and one drill timeline. And a drill whose one path is
// broken (catalog bug pubsub-only: a Redis SET publishes nothing) reports that leg as a P1 finding,
// goes on with the next leg, and exits 1. Ctrl-C during a leg ends the drill there, the fleet stopped.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, runPids } from './support/sim-up-child.ts';
import { readDrill, runDrill, type Op } from './support/drill-run.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO = join(ROOT, 'scenarios/drills/quarterly.yaml');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const issued = (h: Op[], lever: 'kill' | 'release') => h.find((o) => o.type === 'lever-issued' && o.lever === lever) as (Op & { path: string; at: number }) | undefined;

describe('the quarterly drill on one fleet', () => {
  it('passes by CRD, REST and Redis in one run on one simulated fleet, with one merged evidence document and one timeline', { timeout: 600_000 }, async () => {
    const r = await runDrill([SCENARIO], dirs);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const { legDirs, histories, doc, timeline } = readDrill(r);
    expect(legDirs.map((l) => l.id)).toEqual(['leg=1,kill.path=crd', 'leg=2,kill.path=rest', 'leg=3,kill.path=redis']);
    expect(r.stdout).not.toMatch(/^P1 finding:/m);
    // One fleet: every leg drilled the same endpoints; only the first leg's run holds its data dir.
    const ups = histories.map((h) => h.find((o) => o.type === 'fleet-up') as Op & { endpoints: Record<string, unknown> });
    for (const u of ups) expect({ redis: u.endpoints.redisUrl, broker: u.endpoints.brokerUrl, runId: u.endpoints.runId }).toEqual({ redis: ups[0].endpoints.redisUrl, broker: ups[0].endpoints.brokerUrl, runId: ups[0].endpoints.runId });
    expect(legDirs.map((l) => existsSync(join(l.dir, 'fleet')))).toEqual([true, false, false]);
    // The levers in order, each leg's kill after the previous leg's release.
    const kills = histories.map((h) => issued(h, 'kill')!);
    const releases = histories.map((h) => issued(h, 'release')!);
    expect(kills.map((k) => k.path)).toEqual(['crd', 'rest', 'redis']);
    for (let i = 1; i < 3; i++) expect(kills[i].at).toBeGreaterThan(releases[i - 1].at);
    // Each leg judged as its own case: the seed's bars by every path (every bot of the platform in scope).
    for (const dir of legDirs.map((l) => l.dir)) {
      const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { outcome: string; verdicts: Array<{ checker: string; valid: unknown }> };
      expect(result.outcome).toBe('passed');
      for (const c of ['time-to-draining', 'time-to-stop', 'post-flip-effects', 'restart-after-release']) expect(result.verdicts.find((v) => v.checker === c)?.valid).toBe(true);
    }
    // ONE merged document for the RTS 6 kill_switch_drills section, validated against its schema.
    expect(doc).not.toBeNull();
    expect([doc!.section, doc!.outcome, doc!.killSwitchProven, doc!.findings]).toEqual(['kill_switch_drills', 'passed', true, []]);
    expect(doc!.summary.map((s) => [s.path, s.scope, s.outcome])).toEqual([['crd', 'platform', 'passed'], ['rest', 'platform', 'passed'], ['redis', 'platform', 'passed']]);
    expect(readFileSync(timeline!, 'utf8')).toContain('The levers, in order, on one fleet');
    // The fleet is gone after the last leg.
    expect(runPids(String(ups[0].endpoints.runId))).toEqual([]);
  });

  it('Ctrl-C during the second leg: that leg is interrupted, no further leg, its kill released, the one fleet stopped; exit 130', { timeout: 600_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'kd-drill-int-'));
    dirs.push(out);
    const child = spawn(process.execPath, [CLI, 'run', SCENARIO, '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    // Leg 2's kill is pulled once, after leg 1 printed, the progress line says `stopping`: interrupt then.
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
      if (!sent && /^PASS quarterly-drill \[leg=1,/m.test(stdout) && /stopping/.test(d.toString())) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code, stdout + stderr).toBe(130);
    const { legDirs, histories, doc } = readDrill({ stdout, out });
    expect(stdout).toMatch(/^INTERRUPTED quarterly-drill \[leg=2,kill\.path=rest\]/m);
    expect(legDirs.map((l) => l.id)).toEqual(['leg=1,kill.path=crd']); // readDrill reads PASS/FAIL/ERROR lines
    expect(stdout).not.toMatch(/leg=3/);
    expect(stdout).not.toMatch(/^P1 finding:/m);
    expect(stdout).toMatch(/1 passed, 0 failed, 0 errored, 1 interrupted, 1 not run/);
    // The one fleet (leg 1 started it) is gone, and leg 2's kill, if it was pulled, was released.
    const up = histories[0].find((o) => o.type === 'fleet-up') as Op & { endpoints: { runId: string } };
    expect(runPids(up.endpoints.runId)).toEqual([]);
    const leg2 = readdirSync(join(out, 'runs')).find((d) => d.includes('leg-2'))!;
    const h2 = readFileSync(join(out, 'runs', leg2, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Op);
    expect(h2.find((o) => o.type === 'lever-issued' && o.lever === 'kill')).toMatchObject({ path: 'rest' });
    expect(h2.find((o) => o.type === 'lever-abort-release' && o.phase === 'done')).toMatchObject({ ok: true });
    expect(doc!.summary.map((s) => [s.path, s.outcome])).toEqual([['crd', 'passed'], ['rest', 'interrupted']]);
    expect(doc!.findings).toEqual([]);
  });

  it('a broken path is a P1 finding; the drill goes on with the next leg and exits 1', { timeout: 600_000 }, async () => {
    const d = mkdtempSync(join(tmpdir(), 'kd-drill-broken-'));
    dirs.push(d);
    const file = join(d, 'broken.yaml');
    // The drill with the Redis path first, on a fleet whose bots never poll (pubsub-only): that leg fails, REST still passes.
    const text = readFileSync(SCENARIO, 'utf8')
      .replace('  bots: 24\n', '  bots: 24\n  bugs: [pubsub-only]\n  overrides: { pollIntervalS: 1, gatewayCheck: false }\n')
      .replace('  path: crd\n', '  path: redis\n')
      .replace(/sequence:\n[\s\S]*$/, 'sequence:\n  - path: redis\n  - path: rest\n');
    writeFileSync(file, text);
    const r = await runDrill([file], dirs);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const { legDirs, doc } = readDrill(r);
    expect(legDirs.map((l) => l.id)).toEqual(['leg=1,kill.path=redis', 'leg=2,kill.path=rest']);
    expect(r.stdout).toMatch(/^FAIL quarterly-drill \[leg=1,kill\.path=redis\]/m);
    expect(r.stdout).toMatch(/^PASS quarterly-drill \[leg=2,kill\.path=rest\]/m);
    const p1 = r.stdout.split('\n').filter((l) => l.startsWith('P1 finding:'));
    expect(p1).toHaveLength(1);
    expect(p1[0]).toMatch(/^P1 finding: quarterly-drill leg 1 \(kill path redis, platform:platform\): post-flip-effects failed: .*; unknown: time-to-draining, time-to-stop/);
    expect(doc!.outcome).toBe('failed');
    expect(doc!.killSwitchProven).toBe(false);
    expect(doc!.findings.map((f) => [f.severity, f.path])).toEqual([['P1', 'redis']]);
    expect(readdirSync(join(r.out, 'runs'))).toHaveLength(2);
  });
});
