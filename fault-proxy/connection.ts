// A proxied TCP connection: the accepted client socket, the socket to the upstream and
// the two links between them. As in Toxiproxy, there is no half-close: when one direction's
// source ends (EOF or close), that link delivers what it holds, then closes its destination
// fully; the other direction then stops reading, delivers what it holds and closes its own.
// A `reset_peer` toxic present when the connection is accepted sets SO_LINGER 0 on both
// sockets (Toxiproxy's link.Start), so every close of this connection is then a TCP RST.
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import type { HostPort } from './addresses.ts';
import { Link } from './link.ts';
import type { ConnectionControl } from './link-toxic.ts';
import { streamOf, type ToxicConfig } from './toxic-spec.ts';

const CLOSE_GRACE_MS = 2000;
/**
 * Bytes read from the upstream per read: 16 KiB at first (a connection's buffer lives as long as
 * it does), 64 KiB (Node's own read size) once a read fills it.
 */
const READ_BYTES_FIRST = 16 * 1024;
const READ_BYTES_BULK = 64 * 1024;

export class Connection implements ConnectionControl {
  closed = false;
  readonly client: Socket;
  readonly upstream: Socket;
  readonly upLink: Link;
  readonly downLink: Link;
  private clientGone = false;
  private upstreamGone = false;
  /** SO_LINGER 0: closes are RSTs (a reset_peer toxic was there at accept). */
  private readonly lingerZero: boolean;
  private readonly onGone: (conn: Connection) => void;

  constructor(client: Socket, target: HostPort, toxics: ToxicConfig[], onGone: (conn: Connection) => void) {
    this.client = client;
    this.onGone = onGone;
    this.lingerZero = toxics.some((t) => t.type === 'reset_peer');
    // The upstream is read into one reused buffer (onread), not a new Buffer per read: fewer
    // allocations, so fewer young-generation GCs, each a stall of every connection (long
    // ones on a busy machine). A chunk the link still holds gets the next read a new buffer.
    let readBuffer = Buffer.allocUnsafe(READ_BYTES_FIRST);
    let kept = false;
    const options: NetConnectOpts = {
      host: target.host,
      port: target.port,
      allowHalfOpen: true,
      noDelay: true,
      onread: {
        buffer: () => {
          if (kept) readBuffer = Buffer.allocUnsafe(readBuffer.length);
          kept = false;
          return readBuffer;
        },
        // true: keep reading (the link pauses the socket itself under backpressure).
        callback: (bytes: number, buf: Uint8Array) => {
          kept = this.downLink.onData((buf as Buffer).subarray(0, bytes));
          if (bytes === buf.length && buf.length < READ_BYTES_BULK) {
            readBuffer = Buffer.allocUnsafe(READ_BYTES_BULK);
            kept = false;
          }
          return true;
        },
      },
    };
    this.upstream = connect(options);
    client.setNoDelay(true);
    client.on('error', () => {});
    this.upstream.on('error', () => {});
    this.upLink = new Link(client, this.upstream, 'upstream', this, () => this.linkEnded(this.upLink));
    this.downLink = new Link(this.upstream, client, 'downstream', this, () => this.linkEnded(this.downLink), true);
    for (const t of toxics) this.linkFor(streamOf(t)).addToxic(t);
    client.on('close', () => {
      this.clientGone = true;
      this.upLink.sourceClosed();
      this.checkGone();
    });
    this.upstream.on('close', () => {
      this.upstreamGone = true;
      this.downLink.sourceClosed();
      this.checkGone();
    });
  }

  linkFor(stream: 'upstream' | 'downstream'): Link {
    return stream === 'upstream' ? this.upLink : this.downLink;
  }

  /** A link delivered everything: close its destination; the other direction stops reading it. */
  private linkEnded(link: Link): void {
    const dest = link === this.upLink ? this.upstream : this.client;
    const other = link === this.upLink ? this.downLink : this.upLink;
    this.closeSocket(dest);
    other.sourceClosed();
  }

  private closeSocket(socket: Socket): void {
    if (socket.destroyed) return;
    if (this.lingerZero && !socket.connecting) {
      socket.resetAndDestroy();
      return;
    }
    if (!socket.writableEnded) socket.end();
    if (socket.writableFinished) {
      socket.destroy();
      return;
    }
    socket.once('finish', () => socket.destroy());
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private checkGone(): void {
    if (this.clientGone && this.upstreamGone) {
      this.closed = true;
      this.upLink.dispose();
      this.downLink.dispose();
      this.onGone(this);
    }
  }

  /** Toxic close (Toxiproxy's stub.Close): deliver what was written, then close both sides. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeSocket(this.client);
    this.closeSocket(this.upstream);
  }

  /** TCP RST on both sides. */
  reset(): void {
    if (this.closed && this.client.destroyed && this.upstream.destroyed) return;
    this.closed = true;
    for (const s of [this.client, this.upstream]) {
      if (s.destroyed) continue;
      if (s.connecting) s.destroy();
      else s.resetAndDestroy();
    }
  }

  /** Proxy disabled or deleted: cut at once. */
  destroy(): void {
    this.closed = true;
    this.client.destroy();
    this.upstream.destroy();
  }
}
