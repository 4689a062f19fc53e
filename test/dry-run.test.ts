// `killdrill run --dry-run` prints the plan and touches nothing: the real command runs as a child
// under Node's permission model (files readable, no file write, no child process) with a preload
// that makes every TCP connect throw. Without --dry-run the same guard stops the run at once
// (control), so a dry run that started, wrote or sent anything would fail here too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'killdrill.js');
const GUARD = join(import.meta.dirname, 'support', 'no-network.ts');
const SCENARIO = join(ROOT, 'scenarios', 'incidents', 'redis-down.yaml');

function guarded(args: string[], scenario = SCENARIO) {
  const out = join(mkdtempSync(join(tmpdir(), 'kd-dry-')), 'out');
  const r = spawnSync(process.execPath, ['--permission', '--allow-fs-read=*', '--import', GUARD, CLI, 'run', scenario, '--out', out, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, out };
}

describe('killdrill run --dry-run', () => {
  it('prints the lever, faults, budgets, release, heals and stop conditions of a real scenario, exit 0, with no write, child process or connection allowed', () => {
    // The stop conditions are planned, not probed: a guard probed now would trip the connect guard.
    const r = guarded(['--dry-run', '--guard', 'http://127.0.0.1:9/health', '--guard-redis-key', 'drill:stop', '--max-case-duration', '2m']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`dry run: redis-down  ${SCENARIO}  seed 1`);
    expect(lines).toContain('  lever: at 4s  path rest  scope platform  target platform  mode cancel');
    expect(lines).toContain('  fault redis-down-1: kind redis-down at 3s, heals 8s after injection (at 11s)');
    expect(lines).toContain('  budget time-to-draining (rest): 1s from the lever (not judged: skipped)');
    expect(lines).toContain('  budget time-to-stop: hft 30s, standard 5m, paper 5m, agent 5m from the lever (not judged: skipped)');
    expect(lines).toContain('  release: at 16s (12s after the lever, or earlier once the case is decided); every in-scope bot Running again within 30s');
    expect(lines).toContain("  stop conditions: interrupt a case that runs longer than 2m; interrupt when GET http://127.0.0.1:9/health stops answering 2xx (probed every 1 s); interrupt when the Redis key 'drill:stop' exists in the fleet's Redis (probed every 1 s)");
    expect(lines.at(-1)).toBe("killdrill: dry run: 1 case(s) planned; nothing was started, written or sent");
    expect(existsSync(r.out)).toBe(false);
  });

  it('a sequence (the quarterly drill): the legs on one fleet, then each leg\'s plan, with nothing written or sent', () => {
    const drill = join(ROOT, 'scenarios', 'drills', 'quarterly.yaml');
    const r = guarded(['--dry-run'], drill);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^dry run: quarterly-drill  .*: a sequence of 3 legs \(crd → rest → redis\) on ONE fleet \(started for the first leg, kept between legs, stopped after the last\)/);
    expect(lines.filter((l) => l.startsWith('  lever: ')).map((l) => l.split(/\s+/)[5])).toEqual(['crd', 'rest', 'redis']);
    expect(lines.filter((l) => l.startsWith('dry run: quarterly-drill [leg='))).toHaveLength(3);
    expect(lines.at(-1)).toBe('killdrill: dry run: 1 case(s) planned; nothing was started, written or sent');
    expect(existsSync(r.out)).toBe(false);
  });

  it('control: the same run without --dry-run is stopped by the guard before anything runs (exit ≠ 0)', () => {
    const r = guarded([]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Access to this API has been restricted|tried to open a network connection/);
    expect(existsSync(r.out)).toBe(false);
  });

  it('without the permission model too, writes nothing: its temp dir (TMPDIR) stays empty, no compile cache', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kd-dry-tmp-'));
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
    delete env.NODE_COMPILE_CACHE;
    const r = spawnSync(process.execPath, [CLI, 'run', SCENARIO, '--dry-run', '--out', join(tmp, 'out')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  lever: at 4s  path rest  scope platform  target platform  mode cancel');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses --junit with --dry-run (a dry run writes no file), exit 2', () => {
    const r = guarded(['--dry-run', '--junit', 'x.xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^killdrill: --dry-run writes no file; drop --junit/);
  });
});
