// The set of named proxies and the proxy-level API operations (create, populate, update,
// delete, reset), with Toxiproxy 2.12's semantics and errors.
import { ApiError, badRequestBody, missingField, proxyAlreadyExists, proxyNotFound } from './api-error.ts';
import { goBool, goString, type GoType } from './go-json.ts';
import { Proxy } from './proxy.ts';
import { LOOPBACK_ONLY, type AddressPolicy } from './addresses.ts';
import { decodeOrThrow, readGoBody } from './api-body.ts';

interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

/** Toxiproxy's Proxy as Go decodes a body into it (unknown fields ignored, names case-insensitive). */
const PROXY_TYPE: GoType & { kind: 'struct' } = {
  kind: 'struct',
  goName: 'toxiproxy.Proxy',
  fields: { name: goString, listen: goString, upstream: goString, enabled: goBool },
};

/** Parses a proxy body; `defaults` fills absent fields (update keeps the proxy's own). */
function parseProxyInput(text: string, defaults: ProxyInput): ProxyInput {
  const input: Record<string, unknown> = { ...defaults };
  decodeOrThrow(readGoBody(text), PROXY_TYPE, input);
  return input as unknown as ProxyInput;
}

const POPULATE_GO_TYPE = '[]struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';

/** A /populate body: an array of proxies (null = none), as Go decodes it. */
function parsePopulate(text: string): ProxyInput[] {
  const value = readGoBody(text);
  if (value.kind === 'null') return [];
  if (value.kind !== 'array') {
    throw badRequestBody(`json: cannot unmarshal ${value.kind} into Go value of type ${POPULATE_GO_TYPE}`);
  }
  const element: GoType & { kind: 'struct' } = { ...PROXY_TYPE, goName: 'struct { toxiproxy.Proxy; Enabled *bool }' };
  return value.items.map((item) => {
    const input: Record<string, unknown> = { name: '', listen: '', upstream: '', enabled: true };
    decodeOrThrow(item, element, input);
    return input as unknown as ProxyInput;
  });
}

export class ProxyCollection {
  private readonly policy: AddressPolicy;

  constructor(policy: AddressPolicy = LOOPBACK_ONLY) {
    this.policy = policy;
  }

  private readonly proxies = new Map<string, Proxy>();

  list(): Proxy[] {
    return [...this.proxies.values()];
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  async create(body: string): Promise<Proxy> {
    const input = parseProxyInput(body, { name: '', listen: '', upstream: '', enabled: true });
    if (input.name.length < 1) throw missingField('name');
    if (input.upstream.length < 1) throw missingField('upstream');
    if (this.proxies.has(input.name)) throw proxyAlreadyExists();
    const proxy = new Proxy(input.name, input.listen, input.upstream, this.policy);
    proxy.validate();
    if (input.enabled) await proxy.start();
    this.proxies.set(input.name, proxy);
    return proxy;
  }

  /**
   * POST /populate: validate everything first, then add or replace (a proxy with the same
   * listen and upstream is kept as is, with its toxics). Returns the resulting proxies and,
   * if applying one failed, the error (Toxiproxy reports both in one body).
   */
  async populate(body: string): Promise<{ proxies: Proxy[]; error?: ApiError }> {
    const inputs = parsePopulate(body);
    inputs.forEach((input, i) => {
      const where = ` at proxy ${i + 1}`;
      if (input.name.length < 1) throw missingField(`name${where}`);
      if (input.upstream.length < 1) throw missingField(`upstream${where}`);
    });
    // killdrill's address policy, before anything is applied.
    for (const input of inputs) new Proxy(input.name, input.listen, input.upstream, this.policy).validate();
    const result: Proxy[] = [];
    for (const input of inputs) {
      const existing = this.proxies.get(input.name);
      if (existing && existing.listen === input.listen && existing.upstream === input.upstream) {
        result.push(existing);
        continue;
      }
      if (existing) {
        await existing.stop();
        this.proxies.delete(input.name);
      }
      const proxy = new Proxy(input.name, input.listen, input.upstream, this.policy);
      try {
        if (input.enabled) await proxy.start();
      } catch (err) {
        const error = err instanceof ApiError ? err : new ApiError(String(err), 500);
        return { proxies: result, error };
      }
      this.proxies.set(input.name, proxy);
      result.push(proxy);
    }
    return { proxies: result };
  }

  async update(name: string, body: string): Promise<Proxy> {
    const proxy = this.get(name);
    const input = parseProxyInput(body, {
      name: proxy.name,
      listen: proxy.listen,
      upstream: proxy.upstream,
      enabled: proxy.enabled,
    });
    await proxy.update(input);
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.stop();
  }

  /** POST /reset: every proxy enabled again and without toxics. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      await proxy.start();
      proxy.resetToxics();
    }
  }

  async closeAll(): Promise<void> {
    const all = this.list();
    this.proxies.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}
