// The console summary after a run: one row per scenario case.
import type { RunResult } from './run-types.ts';

const fmtMs = (v: number | null | undefined) => (typeof v === 'number' ? `${Math.round(v)} ms` : '—');

function journalCell(r: RunResult): string {
  const v = r.verdicts?.find((x) => x.checker === 'journal-consistent');
  const state = v ? (v.valid === true ? 'ok' : v.valid === false ? 'FAIL' : '?') : '—';
  return r.counts ? `${state} ${r.counts.journalIntents}/${r.counts.notLanded} not landed` : state;
}

export function formatSummary(results: RunResult[]): string {
  const head = ['case', 'verdict', 'stop p99', 'stop max', 'post-flip', 'journal', 'replay'];
  const rows = results.map((r) => [
    `${r.scenario}${r.caseId ? ` [${r.caseId}]` : ''}`,
    r.outcome === 'passed' ? 'PASS' : r.outcome === 'failed' ? 'FAIL' : r.outcome.toUpperCase(),
    fmtMs(r.stats?.timeToStopMs?.p99),
    fmtMs(r.stats?.timeToStopMs?.max),
    String(r.counts?.postFlipViolations ?? '—'),
    journalCell(r),
    r.replay ?? '—',
  ]);
  const widths = head.map((h, i) => (i === head.length - 1 ? 0 : Math.max(h.length, ...rows.map((row) => row[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const passed = results.filter((r) => r.outcome === 'passed').length;
  const tail = `${passed}/${results.length} passed` + (passed < results.length ? `; replay a failing case with its command above` : '');
  return [line(head), ...rows.map(line), tail].join('\n') + '\n';
}
