// The console summary after a run: one row per scenario case, every figure from the checkers' details.
import type { RunResult } from './run-types.ts';
import { checkerFigures } from './checker-figures.ts';

const fmtMs = (v: number | null | undefined) => (typeof v === 'number' ? `${Math.round(v)} ms` : '—');

function journalCell(r: RunResult, j: ReturnType<typeof checkerFigures>['journal']): string {
  const v = r.verdicts?.find((x) => x.checker === 'journal-consistent');
  const state = v ? (v.valid === true ? 'ok' : v.valid === false ? 'FAIL' : '?') : '—';
  return j ? `${state} ${j.intents}/${j.notLandedCount} not landed` : state;
}

export function formatSummary(results: RunResult[]): string {
  const head = ['case', 'verdict', 'stop p99', 'stop max', 'post-flip', 'journal', 'replay'];
  const rows = results.map((r) => {
    const f = checkerFigures('result', r.verdicts ?? [], [], null);
    return [
      `${r.scenario}${r.caseId ? ` [${r.caseId}]` : ''}${r.detects?.length ? ' (reproduction)' : ''}`,
      r.outcome === 'passed' ? 'PASS' : r.outcome === 'failed' ? 'FAIL' : r.outcome.toUpperCase(),
      fmtMs(f.timeToStopMs?.p99),
      fmtMs(f.timeToStopMs?.max),
      String(f.postFlip?.count ?? '—'),
      journalCell(r, f.journal),
      r.replay ?? '—',
    ];
  });
  const widths = head.map((h, i) => (i === head.length - 1 ? 0 : Math.max(h.length, ...rows.map((row) => row[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const passed = results.filter((r) => r.outcome === 'passed').length;
  const tail = `${passed}/${results.length} passed` + (passed < results.length ? `; replay a failing case with its command above` : '');
  return [line(head), ...rows.map(line), tail].join('\n') + '\n';
}
