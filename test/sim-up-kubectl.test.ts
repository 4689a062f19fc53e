// Seed 000's runbook verbatim with the real kubectl against a real `killdrill sim up --json`
// fleet (alphaswarm: apiserver + operator daemon + bots), KUBECONFIG from its JSON line; the
// bots' phases checked through the broker's GET /bots. SIGTERM leaves no process of the run.
import { afterAll, describe, expect, it } from 'vitest';
import { runPids, simUpChild } from './support/sim-up-child.ts';
import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runId = `t-simkubectl-${process.pid}-${Date.now()}`;

interface Line {
  brokerUrl: string;
  controlUrl: string;
  token: string;
  kubeconfig: string;
  dataDir: string;
}
interface BotView {
  slug: string;
  phase: string;
}


const { child, line, exited, dir } = simUpChild<Line>({ preset: 'alphaswarm', bots: 12 }, { runId, tmpPrefix: 'killdrill-simkubectl-' });

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
});

/** Run a shell command the way an operator types it, with the fleet's KUBECONFIG and a fresh HOME. */
function sh(l: Line, script: string): { code: number; out: string; err: string } {
  const r = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: l.kubeconfig }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** `sh` without blocking the event loop (the phase watch keeps polling meanwhile). */
function shAsync(l: Line, script: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: l.kubeconfig }, encoding: 'utf8', timeout: 30_000 }, (err, out, e) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out, err: e });
    });
  });
}

async function bots(l: Line): Promise<BotView[]> {
  const res = await fetch(`${l.brokerUrl}/bots`, { headers: { authorization: `Bearer ${l.token}` }, signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  return (await res.json()) as BotView[];
}

async function control<T>(l: Line, method: string, path: string): Promise<T> {
  const res = await fetch(`${l.controlUrl}${path}`, { method, headers: { authorization: `Bearer ${l.token}` }, signal: AbortSignal.timeout(60_000) });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

/** Poll GET /bots until `done`; returns the distinct phases each bot went through, in order. */
async function watchPhases(l: Line, done: (now: Map<string, string>) => boolean, timeoutMs: number): Promise<Map<string, string[]>> {
  const seen = new Map<string, string[]>();
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = new Map((await bots(l)).map((b) => [b.slug, b.phase]));
    for (const [slug, phase] of now) {
      const s = seen.get(slug) ?? [];
      if (s.at(-1) !== phase) s.push(phase);
      seen.set(slug, s);
    }
    if (done(now)) return seen;
    if (Date.now() > end) throw new Error(`killdrill: bots not there within ${timeoutMs} ms: ${JSON.stringify([...seen])}`);
    await sleep(20);
  }
}

const BOTS_JSONPATH = `kubectl get bots -A -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.killSwitchEngaged}{"\\t"}{.status.killSwitchReason}{"\\n"}{end}'`;
const REASON = 'venue outage; halting until investigation complete';

describe('seed 000 runbook with kubectl against `sim up --json`', () => {
  it('engages mm-aapl by KillSwitch, the bot drains and stops, the delete brings it back', { timeout: 150_000 }, async () => {
    const l = await line;
    expect(l.kubeconfig).toBe(join(dir, 'data', 'kubeconfig'));
    const all = await bots(l);
    expect(all).toHaveLength(12);
    expect(all.every((b) => b.phase === 'Running')).toBe(true);
    // Right after the line: the operator has mirrored every bot (the crd lever may be pulled now).
    for (let i = 0; i < 100 && sh(l, BOTS_JSONPATH).out.split('\n').filter(Boolean).length < 12; i++) await sleep(100);

    // Watch from before the apply: the HFT bot drains for only 300 ms.
    const halting = watchPhases(l, (now) => now.get('mm-aapl') === 'Stopped', 30_000);
    const apply = await shAsync(l, `kubectl apply -f - <<EOF
apiVersion: quantbot.io/v1
kind: KillSwitch
metadata:
  name: emergency-venue-outage
  namespace: alphaswarm-bots
spec:
  scope: bot # bot | fleet | platform
  target: mm-aapl # bot slug / fleet name / "platform"
  mode: flatten # cancel | flatten | freeze
  reason: "venue outage; halting until investigation complete"
  ttl: 1h
EOF`);
    expect(apply).toMatchObject({ code: 0, out: 'killswitch.quantbot.io/emergency-venue-outage created\n' });
    const halted = await halting;
    expect(halted.get('mm-aapl')).toEqual(['Running', 'Draining', 'Stopped']);
    for (const [slug, phases] of halted) if (slug !== 'mm-aapl') expect(phases, slug).toEqual(['Running']);

    const list = sh(l, 'kubectl get killswitches -A');
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[1]).toMatch(/^alphaswarm-bots\s+emergency-venue-outage\s+bot\s+mm-aapl\s+flatten\s+true\s+\d+s$/);
    expect(sh(l, `kubectl get killswitches -A -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.engaged}{"\\n"}{end}'`).out).toBe('emergency-venue-outage\ttrue\n');
    let mirrored = '';
    for (let i = 0; i < 100 && !mirrored.includes('mm-aapl\ttrue'); i++) {
      mirrored = sh(l, BOTS_JSONPATH).out;
      if (!mirrored.includes('mm-aapl\ttrue')) await sleep(100);
    }
    const rows = mirrored.split('\n').filter(Boolean);
    expect(rows).toHaveLength(12);
    expect(rows).toContain(`mm-aapl\ttrue\t${REASON}`);
    expect(rows.filter((r) => r.endsWith('\tfalse\t'))).toHaveLength(11);

    const del = sh(l, 'kubectl delete killswitch emergency-venue-outage -n alphaswarm-bots');
    expect(del).toMatchObject({ code: 0, out: 'killswitch.quantbot.io "emergency-venue-outage" deleted\n' });
    const back = await watchPhases(l, (now) => [...now.values()].every((p) => p === 'Running'), 20_000);
    expect(back.get('mm-aapl')?.at(-1)).toBe('Running');
    expect(sh(l, 'kubectl get killswitches -A')).toMatchObject({ code: 0, err: 'No resources found\n' });

    // The control API: the apiserver is a component; stopping the (KeepAlive) operator keeps it
    // down until start (operator-down), while the supervisor's own stop lets KeepAlive restart it.
    const comps = async () => (await control<Array<{ name: string; kind: string; pid: number | null; state: string }>>(l, 'GET', '/components'));
    expect((await comps()).find((c) => c.name === 'apiserver')).toMatchObject({ kind: 'apiserver', state: 'running' });
    expect((await comps()).find((c) => c.name === 'operator')).toMatchObject({ kind: 'daemon', state: 'running' });
    await control(l, 'POST', '/components/operator/stop');
    await sleep(1500);
    expect((await comps()).find((c) => c.name === 'operator')).toMatchObject({ state: 'stopped', pid: null });
    const started = await control<{ pid: number }>(l, 'POST', '/components/operator/start');
    expect((await comps()).find((c) => c.name === 'operator')).toMatchObject({ state: 'running', pid: started.pid });

    expect(runPids(runId).length).toBeGreaterThan(10);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(runPids(runId)).toEqual([]);
  });
});
