// The figures every report shows, read from the checkers' verdict details (result.json) — one
// definition per figure: reports never recompute an in-scope set, a post-flip list, a percentile or
// the journal diff. A run that crashed before result.json gets its figures from the same checkers,
// run here over the history it left (marked as such; they are not the run's verdicts).
import { History, type Op } from '../harness/history/index.ts';
import { runCheckers } from '../harness/checkers/index.ts';
import type { EffectOp, HistoryOp, Percentiles, Verdict } from './run-types.ts';

export interface PostFlipFigures {
  mode: string;
  issuedAt: number;
  engagedAt: number;
  /** The window closes when the release is issued; null: never closed. */
  windowEnd: number | null;
  count: number;
  inFlightAtEngaged: number | null;
  propagationTail: number | null;
  /** Every violation the checker listed, looked up in the ledger by seq. */
  effects: EffectOp[];
}

export interface JournalFigures {
  intents: number;
  ledgerEffects: number;
  notLandedCount: number;
  notLanded: Array<{ bot: string; key: string; outcome: string | null }>;
  withoutIntentCount: number;
  withoutIntent: Array<{ seq: number; key: string; bot: string }>;
  duplicates: Array<{ key: string; times: number }>;
}

export interface CheckerFigures {
  /** `result`: the run's own verdicts; `history`: the checkers run by the reports over a crashed run's history. */
  from: 'result' | 'history';
  inScope: Set<string> | null;
  postFlip: PostFlipFigures | null;
  journal: JournalFigures | null;
  timeToDrainingMs: Percentiles | null;
  timeToStopMs: Percentiles | null;
  perBot: { timeToDrainingMs: Record<string, number | null>; timeToStopMs: Record<string, number | null>; restartMs: Record<string, number | null> };
}

type Details = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const rec = (v: unknown): Record<string, number | null> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, number | null>) : {});

function spreadOf(d: Details | undefined): Percentiles | null {
  const s = d?.stats as Partial<Percentiles> | undefined;
  if (!s || typeof s !== 'object') return null;
  return { p50: num(s.p50), p99: num(s.p99), max: num(s.max) };
}

function postFlipOf(d: Details | undefined, effects: EffectOp[]): PostFlipFigures | null {
  if (!d || typeof d.mode !== 'string' || num(d.engagedAt) === null || num(d.violations) === null) return null;
  const bySeq = new Map(effects.map((e) => [e.seq, e]));
  const listed = arr<number>(d.violationSeqs).flatMap((s) => (bySeq.has(s) ? [bySeq.get(s)!] : []));
  return {
    mode: d.mode,
    issuedAt: num(d.issuedAt) ?? (d.engagedAt as number),
    engagedAt: d.engagedAt as number,
    windowEnd: num(d.windowEnd),
    count: d.violations as number,
    inFlightAtEngaged: num(d.inFlightAtEngaged),
    propagationTail: num(d.propagationTail),
    effects: listed.sort((a, b) => a.dispatchedAt - b.dispatchedAt),
  };
}

function journalOf(d: Details | undefined): JournalFigures | null {
  if (!d || num(d.effects) === null || num(d.intents) === null) return null;
  const notLanded = arr<{ bot: string; key: string; outcome: string | null }>(d.notLanded);
  const withoutIntent = arr<{ seq: number; key: string; bot: string }>(d.withoutIntent);
  return {
    intents: d.intents as number,
    ledgerEffects: d.effects as number,
    notLandedCount: num(d.notLandedCount) ?? notLanded.length,
    notLanded,
    withoutIntentCount: num(d.withoutIntentCount) ?? withoutIntent.length,
    withoutIntent,
    duplicates: arr<{ key: string; times: number }>(d.duplicates),
  };
}

/** The verdicts figures are read from: the run's, or (no result.json) the checkers over the history. */
export function figureVerdicts(history: HistoryOp[], verdicts: Verdict[] | null): { from: 'result' | 'history'; verdicts: Verdict[] } {
  if (verdicts) return { from: 'result', verdicts };
  return { from: 'history', verdicts: runCheckers(new History(history as unknown as Op[]), {}) };
}

export function checkerFigures(from: 'result' | 'history', verdicts: Verdict[], effects: EffectOp[], resultInScope: Set<string> | null): CheckerFigures {
  const details = (name: string) => verdicts.find((v) => v.checker === name)?.details as Details | undefined;
  const pf = details('post-flip-effects');
  const ttd = details('time-to-draining');
  const tts = details('time-to-stop');
  const rar = details('restart-after-release');
  const slugs = Array.isArray(pf?.inScopeBots) ? (pf.inScopeBots as string[]) : ttd?.perBot ? Object.keys(rec(ttd.perBot)) : tts?.perBot ? Object.keys(rec(tts.perBot)) : null;
  return {
    from,
    inScope: slugs ? new Set(slugs) : resultInScope,
    postFlip: postFlipOf(pf, effects),
    journal: journalOf(details('journal-consistent')),
    timeToDrainingMs: spreadOf(ttd),
    timeToStopMs: spreadOf(tts),
    perBot: { timeToDrainingMs: rec(ttd?.perBot), timeToStopMs: rec(tts?.perBot), restartMs: rec(rar?.perBot) },
  };
}
