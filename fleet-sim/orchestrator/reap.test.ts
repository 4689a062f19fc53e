// reapOrphans/reapRun against real processes carrying KILLDRILL_RUN_ID in their environment.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isPidAlive } from './http-util.ts';
import { OWNER_ENV, ownerTag, reapOrphans, reapRun, runProcesses } from './reap.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sleeper(env: Record<string, string>) {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env: { ...process.env, ...env } });
  const exited = new Promise((r) => c.once('exit', r));
  return { pid: c.pid!, exited };
}

describe('reaping leftover fleet processes', () => {
  it('reapOrphans kills processes whose owning sim up is gone, and spares live runs', async () => {
    const run = `t-reap-${process.pid}`;
    // Owner tag of a process that no longer exists (pid 1 with a start time that is not its own).
    const orphan = sleeper({ KILLDRILL_RUN_ID: run, [OWNER_ENV]: '1:999999999' });
    const owned = sleeper({ KILLDRILL_RUN_ID: run, [OWNER_ENV]: ownerTag() });
    const unowned = sleeper({ KILLDRILL_RUN_ID: run });
    await sleep(200);
    const killed = reapOrphans();
    expect(killed).toContain(orphan.pid);
    expect(killed).not.toContain(owned.pid);
    expect(killed).not.toContain(unowned.pid);
    await orphan.exited;
    expect(isPidAlive(owned.pid)).toBe(true);
    expect(runProcesses(run).sort()).toEqual([owned.pid, unowned.pid].sort());
    expect(reapRun(run).sort()).toEqual([owned.pid, unowned.pid].sort());
    await Promise.all([owned.exited, unowned.exited]);
    expect(runProcesses(run)).toEqual([]);
  });

  it('reapRun also kills the children of a run process that carry no run id (redis-server under its guard)', async () => {
    const run = `t-reap-child-${process.pid}`;
    // A "guard" with the run id whose child has a clean environment, as redis-server's is after it sets its title.
    const script = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env: {} }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const guard = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, KILLDRILL_RUN_ID: run } });
    const childPid = await new Promise<number>((r) => guard.stdout.once('data', (d: Buffer) => r(Number(String(d).trim()))));
    expect(isPidAlive(childPid)).toBe(true);
    expect(runProcesses(run)).toEqual([guard.pid]); // the child is invisible by environment…
    expect(reapRun(run).sort()).toEqual([guard.pid!, childPid].sort()); // …but dies with its parent
    // Killed: gone, or a zombie until init (its new parent) reaps it.
    const running = () => { try { return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${childPid}/stat`, 'utf8')); } catch { return false; } };
    for (let i = 0; i < 50 && running(); i++) await sleep(20);
    expect(running()).toBe(false);
  });
});
