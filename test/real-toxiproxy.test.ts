// Scenarios on the REAL Toxiproxy (issue 13 item 5): link-fault scenarios of scenarios/incidents/
// run twice with `killdrill run` — on killdrill's own fault proxy, and on a real `toxiproxy-server`
// (from PATH; CI puts ../shared/bin there) named by fleet.overrides.proxyUrl in a copy of the
// scenario — and get the same outcome and the same verdict per checker. Each case's links leave
// the external proxy when it ends: after a run, after an interrupted run (SIGINT while its fault is
// on), and after a fleet that failed to start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRealToxiproxy, type RealToxiproxy } from '../fault-proxy/real-toxiproxy.ts';
import { killdrill, readOps, runDirs, ROOT, sleep } from './faults-helpers.ts';
import { simUpChild } from './support/sim-up-child.ts';

let tp: RealToxiproxy;
beforeAll(async () => {
  tp = await startRealToxiproxy();
});
afterAll(async () => {
  await tp?.close();
});

async function proxiesOnToxiproxy(): Promise<Record<string, { toxics: Array<{ name: string }> }>> {
  const res = await fetch(`${tp.url}/proxies`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, { toxics: Array<{ name: string }> }>;
}

/** A copy of an incident scenario whose fleet runs its links through the real Toxiproxy. */
function onToxiproxy(name: string): string {
  const text = readFileSync(join(ROOT, 'scenarios', 'incidents', `${name}.yaml`), 'utf8');
  const copy = text.replace(/^ {2}overrides:\n/m, `  overrides:\n    proxyUrl: ${tp.url}\n`);
  expect(copy).not.toBe(text);
  const file = join(mkdtempSync(join(tmpdir(), 'killdrill-real-tp-')), `${name}.yaml`);
  writeFileSync(file, copy);
  return file;
}

async function run(file: string) {
  const outDir = mkdtempSync(join(tmpdir(), 'killdrill-real-tp-out-'));
  const r = killdrill(['run', file, '--out', outDir]);
  const code = await r.code;
  const [dir] = runDirs(outDir);
  expect(dir, r.err()).toBeDefined();
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { outcome: string; verdicts: Array<{ checker: string; valid: unknown }> };
  const fleetUp = readOps(dir).find((o) => o.type === 'fleet-up') as { endpoints?: { proxyUrl?: string } } | undefined;
  return { code, out: r.out(), err: r.err(), outcome: result.outcome, verdicts: Object.fromEntries(result.verdicts.map((v) => [v.checker, v.valid])), proxyUrl: fleetUp?.endpoints?.proxyUrl };
}

describe('link-fault scenarios: killdrill proxy and real Toxiproxy give the same verdicts', () => {
  for (const name of ['pubsub-drop-pubsub-only', 'flag-store-silent-blackhole-regression']) {
    it(name, { timeout: 240_000 }, async () => {
      const ours = await run(join(ROOT, 'scenarios', 'incidents', `${name}.yaml`));
      expect(ours.out, ours.err).toMatch(new RegExp(`^PASS ${name} `, 'm'));
      expect(ours.proxyUrl).not.toBe(tp.url);
      const theirs = await run(onToxiproxy(name));
      expect(theirs.out, theirs.err).toMatch(new RegExp(`^PASS ${name} `, 'm'));
      expect(theirs.proxyUrl).toBe(tp.url); // the fleet's links ran through the real Toxiproxy
      expect([theirs.code, theirs.outcome]).toEqual([ours.code, ours.outcome]);
      expect(theirs.verdicts).toEqual(ours.verdicts);
      expect(await proxiesOnToxiproxy()).toEqual({}); // the case's links (and toxics) are gone from it
    });
  }
});

describe('the links leave the external Toxiproxy also when a case is interrupted or its fleet fails', () => {
  it('SIGINT while the fault is on: the run stops, none of its proxies is left', { timeout: 120_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'killdrill-real-tp-int-'));
    const r = killdrill(['run', onToxiproxy('flag-store-silent-blackhole-regression'), '--out', outDir]);
    let injected = false;
    // A wait (not an assertion): until the history says the fault is on, or the run ended.
    for (let exited = false; !injected && !exited; ) {
      const [dir] = runDirs(outDir);
      injected = dir !== undefined && readOps(dir).some((o) => o.type === 'fault-injected');
      exited = r.child.exitCode !== null;
      if (!injected) await sleep(200);
    }
    expect(injected, r.err()).toBe(true);
    const during = await proxiesOnToxiproxy();
    expect(during['bots-redis-poll.node-a'].toxics.map((t) => t.name).sort()).toEqual(['killdrill_flag_store_silent_down', 'killdrill_flag_store_silent_up']);
    r.child.kill('SIGINT');
    expect(await r.code).not.toBe(0);
    expect(r.err()).toMatch(/interrupted/);
    expect(await proxiesOnToxiproxy()).toEqual({});
  });

  it('a fleet that fails to start after its links were created (redis-server exits): none is left', { timeout: 60_000 }, async () => {
    const bin = mkdtempSync(join(tmpdir(), 'killdrill-real-tp-bin-'));
    writeFileSync(join(bin, 'redis-server'), '#!/bin/sh\necho "fake redis-server: refusing to start" >&2\nexit 1\n');
    chmodSync(join(bin, 'redis-server'), 0o755);
    const s = simUpChild({ preset: 'alphaswarm', bots: 4, proxyUrl: tp.url }, { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(await s.exited).toBe(3);
    expect(s.stderr()).toMatch(/^killdrill: redis-server exited while starting/m);
    expect(await proxiesOnToxiproxy()).toEqual({});
  });
});
