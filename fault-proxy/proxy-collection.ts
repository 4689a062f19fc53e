// The set of named proxies and the proxy-level API operations (create, populate, update,
// delete, reset), with Toxiproxy 2.12's semantics and errors.
import { ApiError, badRequestBody, missingField, proxyAlreadyExists, proxyNotFound } from './api-error.ts';
import { Proxy } from './proxy.ts';
import { LOOPBACK_ONLY, type AddressPolicy } from './addresses.ts';
import { checkKnownKeys, isPlainObject } from './toxic-spec.ts';

const PROXY_KEYS = new Set(['name', 'listen', 'upstream', 'enabled']);

interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

function readString(body: Record<string, unknown>, key: string, fallback: string): string {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw badRequestBody(`field "${key}" must be a string, got ${typeof v}`);
  return v;
}

function readBool(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw badRequestBody(`field "${key}" must be a boolean, got ${typeof v}`);
  return v;
}

/** Parses a proxy object; `defaults` fills absent fields (update keeps the proxy's own). */
function parseProxyInput(body: unknown, defaults: ProxyInput, where = ''): ProxyInput {
  if (!isPlainObject(body)) throw badRequestBody(`expected a JSON object${where}`);
  checkKnownKeys(body, PROXY_KEYS, `proxy${where}`);
  return {
    name: readString(body, 'name', defaults.name),
    listen: readString(body, 'listen', defaults.listen),
    upstream: readString(body, 'upstream', defaults.upstream),
    enabled: readBool(body, 'enabled', defaults.enabled),
  };
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

  async create(body: unknown): Promise<Proxy> {
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
  async populate(body: unknown): Promise<{ proxies: Proxy[]; error?: ApiError }> {
    if (!Array.isArray(body)) throw badRequestBody('expected a JSON array of proxies');
    const inputs: ProxyInput[] = [];
    const names = new Set<string>();
    body.forEach((item, i) => {
      const where = ` at proxy ${i + 1}`;
      const input = parseProxyInput(item, { name: '', listen: '', upstream: '', enabled: true }, where);
      if (input.name.length < 1) throw missingField(`name${where}`);
      if (input.upstream.length < 1) throw missingField(`upstream${where}`);
      if (names.has(input.name)) throw new ApiError(`duplicate proxy name "${input.name}"`, 400);
      names.add(input.name);
      new Proxy(input.name, input.listen, input.upstream, this.policy).validate();
      inputs.push(input);
    });
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

  async update(name: string, body: unknown): Promise<Proxy> {
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
