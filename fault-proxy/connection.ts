// A proxied TCP connection: the accepted client socket, the socket to the upstream and
// the two links between them. As in Toxiproxy, there is no half-close: when one direction's
// source ends (EOF or close), that link delivers what it holds, then closes its destination
// fully; the other direction then stops reading, delivers what it holds and closes its own.
// A `reset_peer` toxic present when the connection is accepted sets SO_LINGER 0 on both
// sockets (Toxiproxy's link.Start), so every close of this connection is then a TCP RST.
import { connect, type Socket } from 'node:net';
import type { HostPort } from './addresses.ts';
import { Link } from './link.ts';
import type { ConnectionControl } from './link-toxic.ts';
import { streamOf, type ToxicConfig } from './toxic-spec.ts';

const CLOSE_GRACE_MS = 2000;

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
    this.upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    client.setNoDelay(true);
    client.on('error', () => {});
    this.upstream.on('error', () => {});
    this.upLink = new Link(client, this.upstream, 'upstream', this, () => this.linkEnded(this.upLink));
    this.downLink = new Link(this.upstream, client, 'downstream', this, () => this.linkEnded(this.downLink));
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
