// halt-state-durable: from engagedAt (+ graceS) until the release, every status the broker gave
// still shows the halt: the level and an open incident (halt levels), or the engaged kill keys
// (the other paths). A status with a new bootId that forgot the halt mid-halt is amnesia; one that
// lost the kill keys after a redis-failover fault is a flag store that came back without them.
import { DEFAULT_KEY_PREFIX, GROUPS, killKey } from '../../contracts/index.ts';
import { LEVEL1_DEFAULT_ASSET } from './spec/in-scope.ts';
import type { History, Lever, StatusOkOp } from '../history/index.ts';
import type { Checker } from './types.ts';
import { haltGraceMs } from './expectations.ts';
import { unknown } from './prerequisites.ts';
import { fmtMs } from './stats.ts';

function expectedKeys(h: History, k: Lever): string[] {
  const prefix = (h.runStart()?.config?.keyPrefix as string | undefined) ?? DEFAULT_KEY_PREFIX;
  if (k.path === 'broker-level') return k.level === 1 ? [killKey(prefix, 'asset', k.asset ?? LEVEL1_DEFAULT_ASSET)] : k.level === 4 ? [killKey(prefix, 'platform', 'platform')] : [];
  if (k.path === 'rest' && k.scope === 'platform') return GROUPS.map((g) => killKey(prefix, 'group', g));
  return [`${prefix}:${k.scope}:${k.scope === 'platform' ? 'platform' : k.target}`];
}

function missing(s: StatusOkOp, k: Lever, keys: string[]): string | null {
  const gaps: string[] = [];
  if (k.path === 'broker-level') {
    if (s.haltLevel !== k.level) gaps.push(`halt level ${s.haltLevel} (expected ${k.level})`);
    if ((k.level ?? 0) >= 2 && !s.incident) gaps.push('no open incident');
  }
  const absent = keys.filter((key) => !s.engaged.includes(key));
  if (absent.length) gaps.push(`not engaged: ${absent.join(', ')}`);
  return gaps.length ? gaps.join(', ') : null;
}

function cameBackOf(detail: unknown): string {
  const c = (detail as { cameBack?: unknown } | undefined)?.cameBack;
  return typeof c === 'string' ? `; Redis came back ${c === 'aof' ? 'from its append-only file' : c}` : '';
}

export const haltStateDurable: Checker = (h, e) => {
  const name = 'halt-state-durable';
  const kill = h.lever('kill');
  if (!kill) return unknown(name, 'no kill lever was issued in this run, so there is no halt state to check');
  if (kill.engagedAt === null) return unknown(name, `the kill was never confirmed (${kill.failed ?? 'no lever-engaged recorded'}), so there is no halt to have kept`);
  const grace = haltGraceMs(e);
  const from = kill.engagedAt + grace;
  const release = h.lever('release');
  const to = release ? release.issuedAt : h.observedUntil();
  const statuses = h.statuses();
  const engagedAt = kill.engagedAt;
  // A view is placed at the time its GET was sent: the broker's answer shows a state from after that,
  // and an answer that came late (a busy broker) can show the state from before engagedAt. Placed at
  // the answer's time, a GET sent 0.4 s before engagedAt and answered after it "lost the halt"
  // (seen 2026-12-03 beside three other fleets). Histories without requestedAt fall back to `at`.
  const sent = (s: (typeof statuses)[number]) => ('requestedAt' in s && typeof s.requestedAt === 'number' ? s.requestedAt : s.at);
  const bootBefore = statuses.filter((s) => s.ok && s.at <= engagedAt).at(-1) as StatusOkOp | undefined;
  // The view current when the window opens — unless it was taken after the release (a short halt),
  // or before engagedAt: a view older than the engagement cannot have shown it (seen on a busy stand-in:
  // the last view before the window was 1.5 s before engagedAt, and the case failed on it).
  // Both ends: sent after engagedAt (it can show the halt), answered before the release was issued
  // (it cannot show the release). A GET sent just before the release and answered after it shows the
  // released state: judged by its send time alone it failed every halt in CI (2026-12-03).
  const carried = statuses.filter((s) => sent(s) >= engagedAt && sent(s) <= from && s.at < to).at(-1);
  const inside = statuses.filter((s) => sent(s) > from && s.at < to);
  const views = [...(carried ? [carried] : []), ...inside];
  const judged = views.filter((s): s is StatusOkOp => s.ok);
  const down = views.length - judged.length;
  const keys = expectedKeys(h, kill);
  const bad: Array<{ at: number; bootId: string; gap: string; amnesia: boolean }> = [];
  for (const s of judged) {
    const gap = missing(s, kill, keys);
    if (gap) bad.push({ at: s.at, bootId: s.bootId, gap, amnesia: Boolean(bootBefore && s.bootId !== bootBefore.bootId && s.haltLevel === 0) });
  }
  const details = { windowStart: from, windowEnd: to, expectedKeys: keys, level: kill.level ?? null, judged: judged.length, unreachable: down, bad };
  if (bad.length) {
    const first = bad[0];
    const amnesia = bad.find((b) => b.amnesia);
    // A Redis failover between the engagement and the first view that lost the halt: the kill keys did not survive it.
    const failover = h.ofType('fault-injected').filter((f) => f.kind === 'redis-failover' && f.ok !== false && f.at >= engagedAt && f.at <= first.at).at(-1);
    const summary = amnesia
      ? `the broker restarted (new bootId ${amnesia.bootId}) ${fmtMs(amnesia.at - kill.engagedAt)} after engagedAt and forgot the halt: ${amnesia.gap}`
      : failover
        ? `the kill keys did not survive the Redis failover (${failover.id}, ${fmtMs(failover.at - kill.engagedAt)} after engagedAt${cameBackOf(failover.detail)}): ${bad.length} of ${judged.length} status view(s) lost the halt, first ${fmtMs(first.at - kill.engagedAt)} after engagedAt: ${first.gap}`
        : `${bad.length} of ${judged.length} status view(s) during the halt lost it, first ${fmtMs(first.at - kill.engagedAt)} after engagedAt: ${first.gap}`;
    return { checker: name, valid: false, summary, details: { ...details, ...(failover ? { failover: failover.id } : {}) } };
  }
  if (!judged.length) return unknown(name, `no broker status was observed between engagedAt + ${fmtMs(grace)} and the release${down ? ` (${down} view(s): broker unreachable)` : ''}`, details);
  return { checker: name, valid: true, summary: `all ${judged.length} status view(s) during the halt kept it${down ? ` (${down} unreachable, not judged)` : ''}`, details };
};
