// Post-flip effects, with DESIGN.md's definition (the post-flip-effects checker's): an in-scope
// effect dispatched after engagedAt that the mode does not allow. Cancels are allowed in cancel and
// flatten, position-closing orders in flatten, nothing in freeze. The window closes when the release
// is issued: after that, effects are the restart, not a violation. Effects dispatched before
// engagedAt and received after are in flight; those between issuedAt and engagedAt are the
// propagation tail; both are counted apart.
import type { EffectOp, LeverSummary } from './run-types.ts';

export function allowedKinds(mode: string): ReadonlySet<string> {
  if (mode === 'flatten') return new Set(['cancel', 'close']);
  if (mode === 'freeze') return new Set();
  return new Set(['cancel']);
}

export interface EffectClasses {
  postFlip: EffectOp[];
  inFlightAtEngaged: EffectOp[];
  propagationTail: EffectOp[];
}

export function classifyEffects(effects: EffectOp[], inScope: ReadonlySet<string>, lever: LeverSummary): EffectClasses {
  const out: EffectClasses = { postFlip: [], inFlightAtEngaged: [], propagationTail: [] };
  const engagedAt = lever.engagedAt;
  if (engagedAt === null || engagedAt === undefined) return out;
  const issuedAt = lever.issuedAt ?? engagedAt;
  const windowEnd = lever.releaseIssuedAt ?? Number.POSITIVE_INFINITY;
  const allowed = allowedKinds(lever.mode);
  for (const e of effects) {
    if (!inScope.has(e.bot) || allowed.has(e.kind)) continue;
    if (e.dispatchedAt > engagedAt && e.dispatchedAt < windowEnd) out.postFlip.push(e);
    else if (e.dispatchedAt <= engagedAt && e.receivedAt > engagedAt) out.inFlightAtEngaged.push(e);
    else if (e.dispatchedAt > issuedAt && e.dispatchedAt <= engagedAt) out.propagationTail.push(e);
  }
  return out;
}
