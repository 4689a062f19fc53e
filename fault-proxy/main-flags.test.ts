// The proxy process runs its scavenges on the main thread (main.ts scavengeOnMainThread)
// unless its command line already decides how V8 collects garbage.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scavengeOnMainThread } from './main.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('scavengeOnMainThread', () => {
  it('leaves a command line that sets the GC threading alone', () => {
    expect(scavengeOnMainThread(['--single-threaded-gc'])).toBe(false);
    expect(scavengeOnMainThread(['--max-semi-space-size=4', '--parallel-scavenge'])).toBe(false);
    expect(scavengeOnMainThread(['--no_parallel_scavenge'])).toBe(false);
  });

  it('otherwise turns parallel scavenging off; V8 takes the flag at run time and keeps collecting', () => {
    // In a child process (the flag is process-wide): apply it, then allocate through many scavenges.
    const script = `
      const { scavengeOnMainThread } = await import(${JSON.stringify(MAIN)});
      const applied = scavengeOnMainThread([]);
      let live = [];
      for (let i = 0; i < 2e6; i++) { live.push({ i }); if (live.length > 1000) live = []; }
      console.log(JSON.stringify({ applied }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout.trim() }).toEqual({ status: 0, stdout: '{"applied":true}' });
  });
});
