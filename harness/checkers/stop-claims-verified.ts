// stop-claims-verified: every broker claim "daemon-stopped ok:true" must be backed by what the host
// saw: an exit of that daemon on that host (within graceS of the claim), no start of it again and no
// effect from its bots after the claim until the release. A successful no-op stop is a failure.
import type { Checker } from './types.ts';
import { claimGraceMs } from './expectations.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs } from './stats.ts';

/** A claim stamped this long before the kill's issuedAt still counts as this kill's (the broker's clock against the harness's). */
const CLAIM_CLOCK_SLACK_MS = 250;

export const stopClaimsVerified: Checker = (h, e) => {
  const name = 'stop-claims-verified';
  const kill = h.lever('kill');
  if (!kill) return unknown(name, 'no kill lever was issued in this run, so there is nothing to verify');
  // Claims the broker made before this kill belong to earlier levers (an earlier drill, a sequence's
  // earlier leg, a dead run preflight cleared): their daemons were restarted since, by their own release.
  const stops = h.claims().filter((c) => c.action === 'daemon-stopped' && c.ok);
  const claims = stops.filter((c) => c.at >= kill.issuedAt - CLAIM_CLOCK_SLACK_MS);
  const beforeKill = stops.length - claims.length;
  if (!claims.length) {
    if (kill.path === 'broker-level' && (kill.level ?? 0) >= 2 && kill.engagedAt !== null) {
      return unknown(name, `halt level ${kill.level} stops daemons, yet no stop claim was recorded (the broker audit observer saw none)`);
    }
    return { checker: name, valid: true, summary: `no stop claim was made${beforeKill ? ` for this kill (${beforeKill} made before it were not this kill's)` : ''}, so there was none to contradict`, details: { claims: 0, beforeKill } };
  }
  // A target with no host to ask (an external one) shows no daemon exit at all: a claim cannot be checked, never contradicted.
  const up = (h.ops as ReadonlyArray<{ type: string; endpoints?: { hosts?: Record<string, string> } }>).find((o) => o.type === 'fleet-up');
  const hosts = up?.endpoints?.hosts;
  if (hosts && Object.keys(hosts).length === 0) {
    return unknown(name, `${claims.length} stop claim(s) were made, and the target has no hosts whose daemon events could back or contradict them`, { claims: claims.length });
  }
  const grace = claimGraceMs(e);
  const until = h.observedUntil();
  const release = h.lever('release');
  const end = release ? release.issuedAt : Number.POSITIVE_INFINITY;
  const roster = h.roster();
  const events = h.daemonEvents();
  const effects = h.effects();
  const problems: string[] = [];
  const pending: string[] = [];
  const perClaim: Array<Record<string, unknown>> = [];
  for (const c of claims) {
    const id = `${c.host}/${c.daemon}`;
    const mine = events.filter((d) => d.host === c.host && d.daemon === c.daemon);
    const exit = mine.find((d) => d.event === 'exit' && d.at >= kill.issuedAt && d.at <= c.at + grace);
    const restart = mine.find((d) => d.event === 'start' && d.at > c.at && d.at < end);
    const bots = roster.filter((b) => b.host === c.host && b.daemon === c.daemon).map((b) => b.slug);
    const after = effects.filter((x) => bots.includes(x.bot) && x.dispatchedAt > c.at && x.dispatchedAt < end);
    const elsewhere = roster.filter((b) => b.daemon === c.daemon && b.host !== c.host);
    const elsewhereEffects = effects.filter((x) => elsewhere.some((b) => b.slug === x.bot) && x.dispatchedAt > c.at && x.dispatchedAt < end);
    perClaim.push({ host: c.host, daemon: c.daemon, at: c.at, exitAt: exit?.at ?? null, restartAt: restart?.at ?? null, effectsAfter: after.length, runsOn: [...new Set(elsewhere.map((b) => b.host))], effectsElsewhere: elsewhereEffects.length });
    if (!exit) {
      if (until < c.at + grace) {
        pending.push(id);
        continue;
      }
      const where = elsewhere.length ? `; ${c.daemon} runs on ${[...new Set(elsewhere.map((b) => b.host))].join(', ')}` : '';
      const kept = elsewhereEffects.length ? `, where ${list([...new Set(elsewhereEffects.map((x) => `${x.bot}@${elsewhere.find((b) => b.slug === x.bot)!.host}`))])} dispatched ${elsewhereEffects.length} effect(s) after the claim` : '';
      problems.push(`the broker claimed ${id} stopped, but ${c.host} reported no exit of ${c.daemon}${where}${kept}`);
    }
    if (restart) problems.push(`${id} was claimed stopped at ${fmtMs(c.at - kill.issuedAt)} after the kill, and was running again ${fmtMs(restart.at - c.at)} later (pid ${restart.pid}) while the halt was on`);
    if (after.length) {
      const who = [...new Set(after.map((x) => `${x.bot}@${c.host}`))];
      problems.push(`${after.length} effect(s) from ${id}'s bots after it was claimed stopped (${list(who)})`);
    }
  }
  const details = { claims: claims.length, graceMs: grace, perClaim, problems, pending };
  if (problems.length) return { checker: name, valid: false, summary: `${problems.length} stop claim problem(s): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`, details };
  if (pending.length) return unknown(name, `the run stopped watching before the exit of ${list(pending)} could be seen`, details);
  return { checker: name, valid: true, summary: `all ${claims.length} stop claim(s) backed by a daemon exit, with no restart or effect after them`, details };
};
