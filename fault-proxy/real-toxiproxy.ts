// Test-only: the real Toxiproxy (`toxiproxy-server` from PATH; CI puts ../shared/bin there)
// as a child process on 127.0.0.1, for the side-by-side tests. Nothing here is mocked.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../lib/ports.ts';

export interface RealToxiproxy {
  url: string;
  port: number;
  /** The toxiproxy-server process (for its CPU time in /proc). */
  pid: number;
  close(): Promise<void>;
}

/** The path of `cmd` on PATH, or a clear error saying what to do. */
export function requireOnPath(cmd: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(
      `killdrill: ${cmd} is not on PATH; install Toxiproxy, or put ../shared/bin (built from upstream v2.8.0) on PATH, then rerun`,
    );
  }
  return path;
}


/** Starts `toxiproxy-server -host 127.0.0.1 -port P` and waits until /version answers. */
export async function startRealToxiproxy(): Promise<RealToxiproxy> {
  const bin = requireOnPath('toxiproxy-server');
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
  const url = `http://127.0.0.1:${port}`;
  // Startup wait (not an assertion): up to 100 polls, 100 ms apart.
  for (let i = 0; ; i++) {
    if (exited) throw new Error(`killdrill: toxiproxy-server ${exited} before answering on ${url}`);
    try {
      if ((await fetch(`${url}/version`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i >= 100) {
      child.kill('SIGKILL');
      throw new Error(`killdrill: toxiproxy-server did not answer on ${url}; is the port free?`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    pid: child.pid as number,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
