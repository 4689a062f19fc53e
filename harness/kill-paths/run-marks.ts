// How a lever names the run that pulled it, so a run's own levers can be told from anyone else's
// (issue 12 item 3: release every lever this run pulled and only those). The reason carries the
// full run id (the broker and the operator copy it into the kill value); a KillSwitch carries it as
// a label (at most 63 characters, Kubernetes' limit) and in its name (so a dead run's leftover
// KillSwitch never collides with the next run's create).
import { createHash } from 'node:crypto';

export const RUN_LABEL = 'killdrill.io/run';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'killdrill' } as const;

/** The lever's reason: `killdrill run <runId>: <scenario> [<case>]`. */
export function leverReason(runId: string, scenario: string, caseId: string): string {
  return `killdrill run ${runId}: ${scenario}${caseId === 'default' ? '' : ` [${caseId}]`}`;
}

const hash = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

/**
 * The run id as a Kubernetes label value: [A-Za-z0-9._-], alphanumeric at both ends, ≤ 63
 * characters. A longer id keeps its start (the timestamp) and end (the random suffix) around a
 * hash of the whole, so two ids that differ anywhere give different labels.
 */
export function runLabel(runId: string): string {
  if (!runId) throw new Error('killdrill: a run id is needed to label a lever');
  let s = runId.replace(/[^A-Za-z0-9._-]+/g, '-');
  if (s.length > 63 || s !== runId) s = `${s.slice(0, 40)}-${hash(runId, 8)}-${s.slice(-13)}`.slice(0, 63);
  return s.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

/** A short, stable tag of the run for resource names (lowercase hex). */
export function runTag(runId: string): string {
  return hash(runId, 8);
}
