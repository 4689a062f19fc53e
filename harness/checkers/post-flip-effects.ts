// post-flip-effects (DESIGN.md §3 definitions): an in-scope effect dispatched at or after engagedAt
// (and before the release was issued) that the kill mode forbids is a violation. Counted separately,
// never violations: effects in flight at engagedAt (dispatched before, received after) and the
// propagation tail (dispatched between issuedAt and engagedAt).
import { allowedWhileKilled } from '../../fleet-sim/model.ts';
import type { Checker } from './types.ts';
import { postFlipMax } from './expectations.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs } from './stats.ts';

export const postFlipEffects: Checker = (h, e) => {
  const name = 'post-flip-effects';
  const ready = killAndScope(h, name, { needEngaged: true });
  if (isVerdict(ready)) return ready;
  const mode = h.killMode();
  if (!mode) return unknown(name, `the kill's mode (${ready.kill.mode}${ready.kill.level ? `, level ${ready.kill.level}` : ''}) is not one this checker knows`);
  const effects = h.effects();
  if (!effects.length) return unknown(name, 'the ledger recorded no effect at all: the load never ran or the ledger observer failed, so absence of post-flip effects proves nothing');
  // Dispatch times are the bots' clocks, engagedAt the harness's: placing one against the other needs
  // them to agree. An effect the venue received before its bot dispatched it proves they did not.
  const backwards = effects.filter((x) => x.receivedAt < x.dispatchedAt).sort((a, b) => (a.receivedAt - a.dispatchedAt) - (b.receivedAt - b.dispatchedAt));
  if (backwards.length) {
    const w = backwards[0];
    return unknown(
      name,
      `the history's clocks disagree: ${backwards.length} effect(s) reached the venue before their bot dispatched them, the worst ${fmtMs(w.dispatchedAt - w.receivedAt)} early (${w.bot}, ${w.key}), so dispatch times cannot be placed against engagedAt; every process must stamp with nowMs() (docs/contracts.md)`,
      { clockDisagreements: backwards.length, worst: { bot: w.bot, key: w.key, dispatchedAt: w.dispatchedAt, receivedAt: w.receivedAt } },
    );
  }
  const issuedAt = ready.kill.issuedAt;
  const engagedAt = ready.kill.engagedAt!;
  const release = h.lever('release');
  const until = release ? release.issuedAt : Number.POSITIVE_INFINITY;
  const inScope = new Set(ready.inScope.map((b) => b.slug));
  const host = new Map(ready.inScope.map((b) => [b.slug, b.host]));
  const forbidden = effects.filter((x) => inScope.has(x.bot) && !allowedWhileKilled(x.kind, mode));
  const violations = forbidden.filter((x) => x.dispatchedAt >= engagedAt && x.dispatchedAt < until);
  const inFlight = forbidden.filter((x) => x.dispatchedAt < engagedAt && x.receivedAt >= engagedAt);
  const tail = forbidden.filter((x) => x.dispatchedAt >= issuedAt && x.dispatchedAt < engagedAt);
  const perBot: Record<string, number> = {};
  for (const v of violations) perBot[v.bot] = (perBot[v.bot] ?? 0) + 1;
  const max = postFlipMax(e);
  const details = {
    mode,
    max,
    issuedAt,
    engagedAt,
    windowEnd: Number.isFinite(until) ? until : null,
    violations: violations.length,
    inFlightAtEngaged: inFlight.length,
    propagationTail: tail.length,
    perBot,
    first: violations.slice(0, 20).map((v) => ({ bot: v.bot, host: host.get(v.bot), kind: v.kind, key: v.key, seq: v.seq, afterEngagedMs: v.dispatchedAt - engagedAt })),
    // For the reports (they show these, never recompute them): the in-scope bots and every violation's ledger seq.
    inScopeBots: ready.inScope.map((b) => b.slug),
    violationSeqs: violations.slice(0, 10_000).map((v) => v.seq),
  };
  const counted = `in flight at engagedAt ${inFlight.length}, propagation tail ${tail.length}`;
  if (violations.length > max) {
    const worst = Object.entries(perBot).sort((a, b) => b[1] - a[1]).map(([b, n]) => `${b}@${host.get(b)} ×${n}`);
    const last = violations.reduce((m, v) => Math.max(m, v.dispatchedAt), 0);
    return {
      checker: name,
      valid: false,
      summary: `${violations.length} effect(s) the ${mode} mode forbids left after engagedAt (allowed ${max}), the last ${fmtMs(last - engagedAt)} after it: ${list(worst)}; ${counted}`,
      details,
    };
  }
  return { checker: name, valid: true, summary: `${violations.length} forbidden effect(s) after engagedAt (allowed ${max}); ${counted}`, details };
};
