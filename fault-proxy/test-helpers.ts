// Test-only helpers: real local TCP servers (echo, sink, source) and socket readers.
// Used by the fault-proxy tests and the benchmark; nothing here is mocked.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpServer {
  port: number;
  server: Server;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<TcpServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    server,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Echoes every byte back; half-close passes through. */
export function startEcho(): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (s) => s.pipe(s));
  return listen(server, sockets);
}

/**
 * Answers a client's half-close late: `ms` after the client's FIN it sends `payload` and ends. Through a
 * proxy that keeps the other direction open the client gets it; through one that closes the connection on
 * the client's FIN (Toxiproxy) it does not.
 */
export function startLateReply(payload: Buffer, ms: number): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (s) => {
    s.resume();
    s.on('end', () => setTimeout(() => s.end(payload), ms));
  });
  return listen(server, sockets);
}

/** Sends `payload` to each client, then ends. */
export function startSource(payload: Buffer): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (s) => {
    s.end(payload);
    s.resume();
  });
  return listen(server, sockets);
}

/** Accepts and keeps connections open, reading and discarding. */
export function startSink(): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (s) => s.resume());
  return listen(server, sockets);
}

export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

export interface ReadResult {
  data: Buffer;
  /** Arrival time (performance.now()) and size of each chunk. */
  chunks: { at: number; size: number }[];
  /** How the socket ended: 'end' (FIN), an error code (e.g. ECONNRESET), or 'open' at the window's end. */
  ending: string;
  endedAt: number;
}

/** Reads from `s` until it closes or `windowMs` passes. */
export function readAll(s: Socket, windowMs: number): Promise<ReadResult> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const chunks: { at: number; size: number }[] = [];
    let ending = 'open';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ data: Buffer.concat(parts), chunks, ending, endedAt: performance.now() });
    };
    const timer = setTimeout(finish, windowMs);
    s.on('data', (d: Buffer) => {
      parts.push(d);
      chunks.push({ at: performance.now(), size: d.length });
    });
    s.on('end', () => {
      if (ending === 'open') ending = 'end';
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      ending = err.code ?? err.message;
    });
    s.on('close', finish);
  });
}

/** Resolves with the first data chunk's arrival time, or rejects after `timeoutMs`. */
export function firstData(s: Socket, timeoutMs: number): Promise<{ at: number; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no data within ${timeoutMs} ms`)), timeoutMs);
    s.once('data', (data: Buffer) => {
      clearTimeout(timer);
      resolve({ at: performance.now(), data });
    });
  });
}

export function listenPort(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}
