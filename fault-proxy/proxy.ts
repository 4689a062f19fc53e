// One named proxy: a listener on 127.0.0.1, its live connections and its toxics.
import { createServer, type Server, type Socket } from 'node:net';
import { ApiError, toxicAlreadyExists, toxicNotFound } from './api-error.ts';
import { LOOPBACK_ONLY, parseListen, parseUpstream, type AddressPolicy } from './addresses.ts';
import { Connection } from './connection.ts';
import { parseToxicCreate, parseToxicUpdate, streamOf, type ToxicConfig } from './toxic-spec.ts';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicConfig[];
}

export class Proxy {
  readonly name: string;
  listen: string;
  upstream: string;
  enabled = false;
  private toxics: ToxicConfig[] = [];
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();

  private readonly policy: AddressPolicy;

  constructor(name: string, listen: string, upstream: string, policy: AddressPolicy = LOOPBACK_ONLY) {
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
    this.policy = policy;
  }

  /** Validates addresses (400 on a non-loopback or malformed one). */
  validate(): void {
    parseListen(this.listen, this.policy);
    parseUpstream(this.upstream, this.policy);
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxicArray(),
    };
  }

  /** Upstream-stream toxics first, then downstream, each in creation order (as Toxiproxy lists them). */
  toxicArray(): ToxicConfig[] {
    return [
      ...this.toxics.filter((t) => streamOf(t) === 'upstream'),
      ...this.toxics.filter((t) => streamOf(t) === 'downstream'),
    ];
  }

  async start(): Promise<void> {
    if (this.enabled) return;
    const address = parseListen(this.listen, this.policy);
    const target = parseUpstream(this.upstream, this.policy);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false, noDelay: true }, (client) =>
      this.accept(client, target),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new ApiError(
            `listen tcp ${address.host}:${address.port}: ${err.code === 'EADDRINUSE' ? 'bind: address already in use' : err.message}`,
            500,
          ),
        );
      });
      server.listen({ host: address.host, port: address.port, exclusive: true }, () => resolve());
    });
    server.on('error', () => {});
    const bound = server.address();
    // The listen address as given, with the port actually bound (a named listen keeps its name).
    const named = this.listen.slice(0, Math.max(0, this.listen.lastIndexOf(':')));
    const shown = this.policy.names.has(named) ? named : '127.0.0.1';
    if (bound && typeof bound === 'object') this.listen = `${shown}:${bound.port}`;
    this.server = server;
    this.enabled = true;
  }

  private accept(client: Socket, target: ReturnType<typeof parseUpstream>): void {
    if (!this.enabled) {
      client.destroy();
      return;
    }
    const conn = new Connection(client, target, this.toxics, (c) => this.connections.delete(c));
    this.connections.add(conn);
  }

  /** Closes the listener and cuts every connection. */
  async stop(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;
    const server = this.server;
    this.server = undefined;
    for (const conn of this.connections) conn.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Toxiproxy 2.12's Proxy.Update: an address change restarts; `enabled` starts or stops.
   * The new listen is compared resolved (Toxiproxy's Differs): `localhost:P` for a proxy on
   * `127.0.0.1:P` is no change, so live connections stay.
   */
  async update(input: { listen: string; upstream: string; enabled: boolean }): Promise<void> {
    const resolvedListen = input.listen.replace(/^localhost:/, '127.0.0.1:');
    if (resolvedListen !== this.listen || input.upstream !== this.upstream) {
      // Validate before tearing anything down so a bad address leaves the proxy as it was.
      // Stricter than Toxiproxy (which lets a disabled proxy hold any address): loopback only.
      parseListen(input.listen, this.policy);
      parseUpstream(input.upstream, this.policy);
      await this.stop();
      this.listen = input.listen;
      this.upstream = input.upstream;
    }
    if (input.enabled !== this.enabled) {
      if (input.enabled) await this.start();
      else await this.stop();
    }
  }

  connectionCount(): number {
    return this.connections.size;
  }

  getToxic(name: string): ToxicConfig | undefined {
    return this.toxics.find((t) => t.name === name);
  }

  addToxic(body: string): ToxicConfig {
    const config = parseToxicCreate(body, (name) => this.getToxic(name) !== undefined);
    if (this.getToxic(config.name)) throw toxicAlreadyExists();
    this.toxics.push(config);
    for (const conn of this.connections) conn.linkFor(streamOf(config)).addToxic(config, true);
    return config;
  }

  updateToxic(name: string, body: string): ToxicConfig {
    const i = this.toxics.findIndex((t) => t.name === name);
    if (i < 0) throw toxicNotFound();
    const config = parseToxicUpdate(this.toxics[i], body);
    this.toxics[i] = config;
    for (const conn of this.connections) conn.linkFor(streamOf(config)).updateToxic(config);
    return config;
  }

  removeToxic(name: string): void {
    const i = this.toxics.findIndex((t) => t.name === name);
    if (i < 0) throw toxicNotFound();
    const [config] = this.toxics.splice(i, 1);
    for (const conn of this.connections) conn.linkFor(streamOf(config)).removeToxic(name);
  }

  resetToxics(): void {
    for (const t of [...this.toxics]) this.removeToxic(t.name);
  }
}
