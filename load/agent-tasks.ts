// Agent task submissions (docs/load.md): what the agent fleet's clients send while it works — a task for
// one of its runs, `POST <worker>/tasks {"run_id"}`, one request per iteration (the harness sets the
// rate; iterations/s = requests/s), round robin over every root run of every worker. A worker answers
// 202 when it queued the task and 409 when the run's scope is killed (new work is never accepted into a
// halted run): both are expected answers, anything else is a failed request (http_req_failed).
// AGENT_URLS: the workers' control URLs, comma-separated (the harness passes the target's).
// Type-checked with @types/k6 (load/tsconfig.json); bundled by the harness for k6.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

const URLS = (__ENV.AGENT_URLS || '').split(',').filter((u) => u !== '');
if (!URLS.length) throw new Error('killdrill: AGENT_URLS is not set; the harness passes the target\'s agent workers (docs/load.md), so use this script on an agent fleet');

http.setResponseCallback(http.expectedStatuses(202, 409));

interface Target {
  url: string;
  run: string;
}

/** Every root run of every worker, read once before the load starts. */
export function setup(): { targets: Target[] } {
  const targets: Target[] = [];
  for (const url of URLS) {
    // Its own expected status: the load's callback (202, 409) is for the submissions.
    const res = http.get(`${url}/runs`, { tags: { phase: 'setup' }, responseCallback: http.expectedStatuses(200) });
    if (res.status !== 200) throw new Error(`killdrill: ${url}/runs answered ${res.status}; is the agent worker up?`);
    const body = res.json() as { runs?: Array<{ run_id: string; parent: string | null }> } | null;
    for (const r of (body && body.runs) || []) if (r.parent === null) targets.push({ url, run: r.run_id });
  }
  if (!targets.length) throw new Error('killdrill: the agent workers have no run to submit a task to');
  return { targets };
}

const params = { headers: { 'content-type': 'application/json' }, tags: {} as Record<string, string> };

export default function (data: { targets: Target[] }): void {
  const t = data.targets[exec.scenario.iterationInTest % data.targets.length];
  const res = http.post(`${t.url}/tasks`, JSON.stringify({ run_id: t.run }), params);
  check(res, { 'accepted or refused (halted)': (r) => r.status === 202 || r.status === 409 });
}
