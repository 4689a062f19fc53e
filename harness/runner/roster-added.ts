// Bots that joined the fleet during the case (the scale-out fault's replica: a pod the HPA added):
// the broker's GET /bots read again after the observers stopped, less the roster recorded at the
// start, as one `roster-added` op. boots-halted judges them; every other checker keeps to the roster.
import { describeError, getJson } from '../../lib/http.ts';
import { nowMs } from '../../contracts/index.ts';
import type { RosterBot } from './in-scope.ts';
import type { Emit } from './emit.ts';

export async function readRosterAdded(bots: { url: string; token?: string }, roster: readonly RosterBot[], emit: Emit): Promise<void> {
  const from = nowMs();
  try {
    const now = await getJson<RosterBot[]>(bots.url, { ...(bots.token !== undefined ? { token: bots.token } : {}) });
    const known = new Set(roster.map((b) => b.slug));
    const added = now.filter((b) => !known.has(b.slug)).map(({ slug, host, daemon, fleet, tenant, group, class: cls, asset, capability, run, tags }) => ({ slug, host, daemon, fleet, tenant, group, class: cls, asset, capability, run, tags: tags ?? [] }));
    emit({ type: 'roster-added', at: nowMs(), bots: added });
  } catch (err) {
    emit({ type: 'observer-failed', source: 'roster', error: `killdrill: could not read GET /bots again after the case: ${describeError(err)}`, from, to: nowMs(), recovered: false });
  }
}
