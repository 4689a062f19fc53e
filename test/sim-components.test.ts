// `killdrill sim components` (what the harness's load-time fault check asks instead of importing the
// simulator) names exactly the components the live fleet's GET /components lists, per preset; bad
// input is refused naming the option.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, simUpChild } from './support/sim-up-child.ts';

const planned = (preset: string, bots: number) =>
  (JSON.parse(execFileSync(process.execPath, [CLI, 'sim', 'components', '--json', '--preset', preset, '--bots', String(bots)], { encoding: 'utf8' })) as Array<{ name: string; kind: string }>)
    .map((c) => `${c.kind} ${c.name}`)
    .sort();

describe('killdrill sim components', () => {
  for (const [preset, bots] of [['principal', 4], ['alphaswarm', 4]] as const) {
    it(`${preset} of ${bots} bots: the names the live fleet's GET /components lists`, { timeout: 120_000 }, async () => {
      const sim = simUpChild<{ controlUrl: string; token: string }>({ preset, bots, seed: 1 });
      try {
        const line = await sim.line;
        const live = (await (await fetch(`${line.controlUrl}/components`, { headers: { authorization: `Bearer ${line.token}` } })).json()) as Array<{ name: string; kind: string }>;
        expect(planned(preset, bots)).toEqual(live.map((c) => `${c.kind} ${c.name}`).sort());
      } finally {
        sim.child.kill('SIGTERM');
        await sim.exited;
        rmSync(sim.dir, { recursive: true, force: true });
      }
    });
  }

  it('refuses an unknown preset and a bad bot count, naming the option (exit 2)', () => {
    for (const [args, msg] of [[['--preset', 'nope'], /--preset must be one of alphaswarm, principal, agents, not 'nope'/], [['--bots', '0'], /--bots must be a whole number of at least 1, not '0'/], [['--bogus'], /bogus/]] as const) {
      const r = spawnSync(process.execPath, [CLI, 'sim', 'components', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });
});
