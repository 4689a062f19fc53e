// `killdrill run --junit FILE`: the cases as a JUnit XML report, the format GitLab, Jenkins and
// GitHub test reporters read. One <testsuite> per scenario file, one <testcase> per case:
// failed → <failure>, errored → <error>, interrupted or not run → <skipped>; times in seconds.
import type { RunResult } from './run-types.ts';

/** One case: what the runner knows of it (its result.json fields when it got that far). */
export interface JunitCase extends Partial<Omit<RunResult, 'outcome'>> {
  /** The scenario file (the testsuite). */
  file: string;
  scenario: string;
  caseId: string;
  /** 'not-run': the run was interrupted before this case started. */
  outcome: RunResult['outcome'] | 'not-run';
  reasons: string[];
  /** Wall-clock seconds of the case; else endedAt − startedAt. */
  seconds?: number;
  runDir?: string;
}

// Characters XML 1.0 cannot carry at all (control characters such as ANSI escapes, lone surrogates).
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// In attributes also quotes, and the whitespace a parser would otherwise normalise to spaces.
const ATTR: Record<string, string> = { ...TEXT, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

export function xmlText(value: unknown): string {
  return String(value ?? '').replace(INVALID, '\uFFFD').replace(/[&<>]/g, (c) => TEXT[c]);
}

export function xmlAttr(value: unknown): string {
  return String(value ?? '').replace(INVALID, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => ATTR[c]);
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
    .join('');
}

const secs = (c: JunitCase): number => c.seconds ?? (c.startedAt !== undefined && c.endedAt !== undefined ? Math.max(0, (c.endedAt - c.startedAt) / 1000) : 0);
const fmt = (s: number): string => s.toFixed(3);

function testcase(c: JunitCase): string {
  const name = c.caseId === 'default' ? c.scenario : `${c.scenario} [${c.caseId}]`;
  const open = `    <testcase${attrs({ name, classname: c.scenario, file: c.file, time: fmt(secs(c)) })}`;
  const why = c.reasons.length ? c.reasons : c.reason ? [c.reason] : [];
  const body = [...why, ...(c.replay ? [`replay: ${c.replay}`] : [])].join('\n');
  const out = c.runDir ? [`      <system-out>${xmlText(`run: ${c.runDir}`)}</system-out>`] : [];
  const child = (tag: string, type: string, fallback: string) => `      <${tag}${attrs({ message: why[0] ?? fallback, type })}>${xmlText(body || fallback)}</${tag}>`;
  const inner =
    c.outcome === 'failed'
      ? [child('failure', 'failed', 'the kill switch fell short')]
      : c.outcome === 'errored'
        ? [child('error', 'errored', 'the fleet or infrastructure broke')]
        : c.outcome === 'interrupted'
          ? [`      <skipped${attrs({ message: `interrupted${why[0] ? `: ${why[0]}` : ''}` })}/>`]
          : c.outcome === 'not-run'
            ? [`      <skipped${attrs({ message: 'not run: the run was interrupted before this case' })}/>`]
            : [];
  const children = [...inner, ...out];
  return children.length ? `${open}>\n${children.join('\n')}\n    </testcase>` : `${open}/>`;
}

function counts(cs: JunitCase[]) {
  return {
    tests: cs.length,
    failures: cs.filter((c) => c.outcome === 'failed').length,
    errors: cs.filter((c) => c.outcome === 'errored').length,
    skipped: cs.filter((c) => c.outcome === 'interrupted' || c.outcome === 'not-run').length,
    time: fmt(cs.reduce((s, c) => s + secs(c), 0)),
  };
}

/** The JUnit XML document of the cases, suites in order of first appearance. */
export function junitXml(cases: JunitCase[], name = 'killdrill'): string {
  const byFile = new Map<string, JunitCase[]>();
  for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  const suites = [...byFile].map(([file, cs]) => [`  <testsuite${attrs({ name: file, ...counts(cs) })}>`, ...cs.map(testcase), '  </testsuite>'].join('\n'));
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs({ name, ...counts(cases) })}>`, ...suites, '</testsuites>', ''].join('\n');
}
