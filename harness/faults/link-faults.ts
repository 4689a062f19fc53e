// Network faults: each link of the fleet runs through its own named proxy
// (docs/contracts.md §12), driven with the unmodified toxiproxy-node-client.
import { Toxiproxy } from 'toxiproxy-node-client';
import { eventsChannel } from '../../contracts/index.ts';
import type { ComponentInfo, Fault, FaultContext } from './types.ts';
import { controlComponent } from './control-api.ts';

function proxyUrl(ctx: FaultContext): string {
  const url = ctx.fleet.proxyUrl;
  if (!url) throw new Error('killdrill: this fleet reports no proxyUrl, so link faults cannot be injected; start it with its links proxied (sim up does by default)');
  return url;
}

export function linkNames(components: ComponentInfo[]): string[] {
  return components.filter((c) => c.kind === 'link').map((c) => c.name);
}

function needLinks(names: string[], components: ComponentInfo[]): string | null {
  const have = linkNames(components);
  const missing = names.filter((n) => !have.includes(n));
  return missing.length ? `this fleet has no link ${missing.map((m) => `'${m}'`).join(', ')}; its links are ${have.join(', ') || '(none)'}` : null;
}

async function setEnabled(ctx: FaultContext, names: string[], enabled: boolean): Promise<void> {
  const tp = new Toxiproxy(proxyUrl(ctx));
  const done: string[] = [];
  try {
    for (const n of names) {
      const p = await tp.get(n);
      await p.update({ enabled, listen: p.listen, upstream: p.upstream });
      done.push(n);
    }
  } catch (err) {
    // A half-applied fault is never left behind: undo the links already changed, then fail.
    for (const n of done) await tp.get(n).then((p) => p.update({ enabled: !enabled, listen: p.listen, upstream: p.upstream })).catch(() => {});
    throw new Error(`killdrill: could not ${enabled ? 'enable' : 'disable'} link(s) ${names.join(', ')} (undone: ${done.join(', ') || 'none'}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function addToxics(ctx: FaultContext, names: string[], toxic: { type: string; name: string; stream: 'upstream' | 'downstream'; attributes: Record<string, unknown> }) {
  const tp = new Toxiproxy(proxyUrl(ctx));
  const remove = async (links: string[]) => {
    for (const n of links) {
      const res = await fetch(`${proxyUrl(ctx)}/proxies/${encodeURIComponent(n)}/toxics/${encodeURIComponent(toxic.name)}`, { method: 'DELETE' });
      if (!res.ok && res.status !== 404) throw new Error(`killdrill: could not remove toxic ${toxic.name} from ${n}: ${res.status}`);
    }
    return { removed: toxic.name, links };
  };
  const added: string[] = [];
  try {
    for (const n of names) {
      const p = await tp.get(n);
      await p.addToxic({ type: toxic.type as never, name: toxic.name, stream: toxic.stream, toxicity: 1, attributes: toxic.attributes as never });
      added.push(n);
    }
  } catch (err) {
    // A half-applied fault is never left behind: remove what was added, then fail.
    await remove(added).catch(() => {});
    throw new Error(`killdrill: could not add toxic ${toxic.name} to ${names.join(', ')} (removed again from: ${added.join(', ') || 'none'}): ${err instanceof Error ? err.message : String(err)}`);
  }
  return () => remove(names);
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/** link-latency {link, latencyMs, jitterMs?}: both directions slowed. */
export const linkLatency: Fault = {
  kind: 'link-latency',
  check(p, c) {
    if (!str(p.link)) return "needs 'link': a proxy name from docs/contracts.md §12";
    if (num(p.latencyMs) === null) return "needs 'latencyMs': a number of milliseconds ≥ 0";
    if (p.jitterMs !== undefined && num(p.jitterMs) === null) return "'jitterMs' must be a number of milliseconds ≥ 0";
    return needLinks([p.link as string], c);
  },
  async inject(ctx, p) {
    const links = [p.link as string];
    const attributes = { latency: p.latencyMs, jitter: p.jitterMs ?? 0 };
    const healDown = await addToxics(ctx, links, { type: 'latency', name: 'killdrill_latency_down', stream: 'downstream', attributes });
    const healUp = await addToxics(ctx, links, { type: 'latency', name: 'killdrill_latency_up', stream: 'upstream', attributes }).catch(async (err: unknown) => {
      await healDown().catch(() => {});
      throw err;
    });
    return { detail: { links, ...attributes }, heal: async () => ({ ...(await healDown()), ...(await healUp()) }) };
  },
};

/** link-down {link}: the proxy stops listening and cuts every connection. */
export const linkDown: Fault = {
  kind: 'link-down',
  check: (p, c) => (str(p.link) ? needLinks([p.link as string], c) : "needs 'link': a proxy name from docs/contracts.md §12"),
  async inject(ctx, p) {
    const links = [p.link as string];
    await setEnabled(ctx, links, false);
    return { detail: { links }, heal: async () => (await setEnabled(ctx, links, true), { links, enabled: true }) };
  },
};

export function hostsOf(p: Record<string, unknown>, c: ComponentInfo[], prefix: string): string[] {
  const host = str(p.host);
  return linkNames(c).filter((n) => n.startsWith(prefix + '.') && (!host || n === `${prefix}.${host}`));
}

/**
 * pubsub-drop {form: silent|channel, host?, channel?}.
 * silent: the subscriber link goes quiet with no error (data dropped, connection held open) while polling still works.
 * channel: only the pub/sub messages of the kill events channel (`<keyPrefix>:events`, contracts/) are dropped on the
 * subscriber link. A `channel` param may name it (as a scenario's record of what is dropped) but must be that channel:
 * the fleet listens on no other, so dropping another would be a fault that does nothing.
 */
export const pubsubDrop: Fault = {
  kind: 'pubsub-drop',
  check(p, c, keyPrefix) {
    const form = p.form ?? 'silent';
    if (form !== 'silent' && form !== 'channel') return `'form' must be 'silent' or 'channel', not '${String(form)}'`;
    if (p.host !== undefined && !str(p.host)) return "'host' must be a host name";
    if (p.channel !== undefined) {
      const events = eventsChannel(keyPrefix);
      if (form !== 'channel') return `'channel' is for form 'channel' only; add form: channel or remove 'channel'`;
      if (p.channel !== events)
        return `'channel' is '${String(p.channel)}', but this fleet's kill events channel is '${events}' (<keyPrefix>:events, keyPrefix '${keyPrefix}'); name that channel or leave 'channel' out (it defaults to it)`;
    }
    return hostsOf(p, c, 'bots-redis-sub').length ? null : `no subscriber link ${p.host ? `for host '${p.host}'` : ''} in this fleet (links: ${linkNames(c).join(', ')})`;
  },
  async inject(ctx, p) {
    const links = hostsOf(p, ctx.components, 'bots-redis-sub');
    if ((p.form ?? 'silent') === 'silent') {
      const heal = await addToxics(ctx, links, { type: 'timeout', name: 'killdrill_pubsub_silent', stream: 'downstream', attributes: { timeout: 0 } });
      return { detail: { form: 'silent', links }, heal };
    }
    const channel = eventsChannel(ctx.keyPrefix);
    const heal = await addToxics(ctx, links, { type: 'redis_channel_drop', name: 'killdrill_channel_drop', stream: 'downstream', attributes: { channel } });
    return { detail: { form: 'channel', channel, links }, heal };
  },
};

/**
 * partition {host}: the host is cut from Redis and from the broker (and the broker from it).
 * Process runtime (and docker with host networking): its links are disabled in the fault
 * proxy. Docker runtime on the run's bridge network: its container (`supervisor.<host>`,
 * all its daemons inside) is `docker network disconnect`ed — cut from everything, the
 * harness included — and the heal reconnects it with the same alias.
 */
export const partition: Fault = {
  kind: 'partition',
  check(p, c) {
    if (!str(p.host)) return "needs 'host': the name of a host of the fleet";
    const links = linkNames(c).filter((n) => n.endsWith('.' + p.host) && /^(bots-redis-sub|bots-redis-poll|broker-hosts)\./.test(n));
    return links.length ? null : `no links for host '${p.host}' in this fleet (links: ${linkNames(c).join(', ')})`;
  },
  async inject(ctx, p) {
    if (ctx.fleet.network) {
      const container = `supervisor.${p.host as string}`;
      if (!ctx.components.some((c) => c.name === container)) throw new Error(`killdrill: this fleet has no component '${container}' to disconnect from its network`);
      const done = await controlComponent(ctx.fleet, container, 'disconnect');
      return {
        detail: { host: p.host, form: 'network-disconnect', network: ctx.fleet.network, component: container, container: done.container },
        heal: async () => {
          const r = await controlComponent(ctx.fleet, container, 'connect');
          return { form: 'network-connect', network: r.network, container: r.container, alias: r.alias };
        },
      };
    }
    const links = linkNames(ctx.components).filter((n) => n.endsWith('.' + p.host) && /^(bots-redis-sub|bots-redis-poll|broker-hosts)\./.test(n));
    await setEnabled(ctx, links, false);
    return { detail: { host: p.host, links }, heal: async () => (await setEnabled(ctx, links, true), { links, enabled: true }) };
  },
};
