// A proxied TCP connection: the accepted client socket, the socket to the upstream and
// the two links between them. TCP half-close is passed through: an EOF on one side ends
// the other side's write half once everything queued before it has been delivered.
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
  private readonly onGone: (conn: Connection) => void;

  constructor(client: Socket, target: HostPort, toxics: ToxicConfig[], onGone: (conn: Connection) => void) {
    this.client = client;
    this.onGone = onGone;
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
      if (this.upLink.ended) this.destroyAfterFlush(this.upstream);
      this.checkGone();
    });
    this.upstream.on('close', () => {
      this.upstreamGone = true;
      this.downLink.sourceClosed();
      if (this.downLink.ended) this.destroyAfterFlush(client);
      this.checkGone();
    });
  }

  linkFor(stream: 'upstream' | 'downstream'): Link {
    return stream === 'upstream' ? this.upLink : this.downLink;
  }

  private linkEnded(link: Link): void {
    // The far side is already gone: nothing more can come back, so close fully.
    if (link === this.upLink && this.clientGone) this.destroyAfterFlush(this.upstream);
    if (link === this.downLink && this.upstreamGone) this.destroyAfterFlush(this.client);
  }

  private destroyAfterFlush(socket: Socket): void {
    if (socket.destroyed) return;
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

  /** Toxic close: deliver what was written, then close both sides. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.destroyAfterFlush(this.client);
    this.destroyAfterFlush(this.upstream);
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
