// The fleet's flag store: a real redis-server on its own port and directory, with the
// append-only file fsynced on every write so kill keys survive a Redis restart.
import { accessSync, constants } from 'node:fs';
import { join, delimiter } from 'node:path';
import { connect } from 'node:net';

export const REDIS_NOT_FOUND = 'killdrill: redis-server not found on PATH; install it (Debian/Ubuntu: sudo apt-get install redis-server)';

/** Absolute path of redis-server on PATH, or null. */
export function findRedisServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'redis-server');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * `bind` is 127.0.0.1, or 0.0.0.0 inside the run's docker network (no protected mode there: the bridge gateway is not loopback; the port is published on 127.0.0.1 only).
 * `persist: false` is the `kill-keys-not-persisted` bug: no append-only file and no snapshot, so a Redis that
 * comes back after a failover (the `redis-failover` fault) comes back empty.
 */
export function redisArgs(port: number, dir: string, bind = '127.0.0.1', persist = true): string[] {
  return [
    '--port', String(port),
    '--bind', bind,
    '--protected-mode', bind === '127.0.0.1' ? 'yes' : 'no',
    '--daemonize', 'no',
    '--dir', dir,
    '--appendonly', persist ? 'yes' : 'no',
    '--appendfsync', 'always',
    '--save', '',
    '--logfile', '',
  ];
}

/** PING over a raw socket: true when the server answers +PONG. */
export function redisPing(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    // Closed without an answer: e.g. docker's port proxy accepting while redis is not up yet.
    s.once('close', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}
