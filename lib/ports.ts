// Shared by fleet-sim, the fault proxy, the harness and tests: lib/ imports nothing of the project.
// Ports chosen once, at start, so a restarted component comes back on the same address.
//
// They are chosen BELOW the kernel's ephemeral range (ip_local_port_range): a port from
// the ephemeral range is also handed out as the local port of outgoing connections, so
// between choosing it and the component binding it, any connect() on the machine (a
// bot to Redis, a proxy link) could take it — EADDRINUSE at start or after a restart.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > 2048) return low;
  } catch {
    // not Linux: fall through
  }
  return 32768;
}

function tryListen(s: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => resolve(true));
  });
}

/** The env var that gives this fleet block `i` of `n` of the port range (`i/n`): fleets started at the same time by one harness (`run --jobs`) never pick the same port. */
export const PORT_BLOCK_ENV = 'KILLDRILL_PORT_BLOCK';

/** [low, high] of the range, narrowed to the block `spec` (`i/n`) names; a malformed spec is an error. */
export function portRange(spec: string | undefined, top = ephemeralLow() - 1): { low: number; high: number } {
  const low = Math.max(1025, top - 12_000);
  if (spec === undefined || spec === '') return { low, high: top };
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 16 || i >= n) throw new Error(`killdrill: ${PORT_BLOCK_ENV}='${spec}' must be i/n with 0 <= i < n <= 16`);
  const size = Math.floor((top - low + 1) / n);
  return { low: low + i * size, high: low + (i + 1) * size - 1 };
}

/** `n` distinct free ports on 127.0.0.1 outside the ephemeral range (held open together, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const { low, high } = portRange(process.env[PORT_BLOCK_ENV]);
  const servers: Server[] = [];
  const ports: number[] = [];
  try {
    let attempts = 0;
    while (ports.length < n) {
      if (++attempts > n * 200) throw new Error(`killdrill: could not find ${n} free ports on 127.0.0.1 between ${low} and ${high}; stop other fleets (killdrill sim up) or free some ports, then retry`);
      const port = low + Math.floor(Math.random() * (high - low + 1));
      if (ports.includes(port)) continue;
      const s = createServer();
      if (await tryListen(s, port)) {
        servers.push(s);
        ports.push(port);
      }
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** One free port on 127.0.0.1 outside the ephemeral range, for a component started later (see freePorts). Never `listen(0)` for that: the kernel's pick is an ephemeral port. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}
