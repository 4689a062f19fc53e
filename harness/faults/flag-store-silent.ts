// flag-store-silent {form: freeze|blackhole, host?} (issue 11 item 4): the flag store stops
// answering while every connection to it stays open — the failure a disconnect-only health check
// misses. The bots must fail closed within their staleness bound all the same.
//   freeze:    redis-server is SIGSTOPped (process-pause of `redis`): every client's socket stays
//              connected, nothing answers — the bots, the gateway, the broker, the operator and the
//              harness's own observers alike. Heal: SIGCONT; the queued commands are answered.
//   blackhole: the bots' poll AND subscriber links (bots-redis-poll.<host>, bots-redis-sub.<host>;
//              every host, or `host`) pass no byte either way (a `timeout 0` toxic on both streams):
//              connections held open, no error, nothing delivered. Everyone else still reaches Redis.
//              Heal: remove the toxics; the proxy then closes the held connections (Toxiproxy's
//              cleanup), the bots reconnect.
import { controlComponent } from './control-api.ts';
import { addToxics, hostsOf, linkNames } from './link-faults.ts';
import type { Fault } from './types.ts';

export const FLAG_STORE_SILENT_FORMS = ['freeze', 'blackhole'] as const;

function links(p: Record<string, unknown>, c: Parameters<Fault['check']>[1]): string[] {
  return [...hostsOf(p, c, 'bots-redis-poll'), ...hostsOf(p, c, 'bots-redis-sub')];
}

export const flagStoreSilent: Fault = {
  kind: 'flag-store-silent',
  check(p, c) {
    const form = p.form ?? 'freeze';
    if (!(FLAG_STORE_SILENT_FORMS as readonly unknown[]).includes(form)) return `'form' must be 'freeze' or 'blackhole', not '${String(form)}'`;
    if (p.host !== undefined && (typeof p.host !== 'string' || !p.host)) return "'host' must be a host name";
    if (form === 'freeze') {
      if (p.host !== undefined) return "'host' is for the blackhole form only: freeze stops the one Redis every host shares";
      return c.some((x) => x.name === 'redis') ? null : `this fleet has no 'redis' component (it has ${c.map((x) => x.name).join(', ')})`;
    }
    const l = links(p, c);
    const hosts = new Set(l.map((n) => n.slice(n.indexOf('.') + 1)));
    for (const h of hosts) if (!l.includes(`bots-redis-poll.${h}`) || !l.includes(`bots-redis-sub.${h}`)) return `host '${h}' lacks its poll or subscriber link`;
    return l.length ? null : `no bots' Redis links ${p.host ? `for host '${p.host}' ` : ''}in this fleet (links: ${linkNames(c).join(', ')})`;
  },
  async inject(ctx, p) {
    if ((p.form ?? 'freeze') === 'freeze') {
      const detail = await controlComponent(ctx.fleet, 'redis', 'pause');
      return { detail: { form: 'freeze', target: 'redis', ...detail }, heal: () => controlComponent(ctx.fleet, 'redis', 'resume') };
    }
    const l = links(p, ctx.components);
    const healDown = await addToxics(ctx, l, { type: 'timeout', name: 'killdrill_flag_store_silent_down', stream: 'downstream', attributes: { timeout: 0 } });
    const healUp = await addToxics(ctx, l, { type: 'timeout', name: 'killdrill_flag_store_silent_up', stream: 'upstream', attributes: { timeout: 0 } }).catch(async (err: unknown) => {
      await healDown().catch(() => {});
      throw err;
    });
    return { detail: { form: 'blackhole', links: l }, heal: async () => ({ ...(await healUp()), ...(await healDown()) }) };
  },
};
