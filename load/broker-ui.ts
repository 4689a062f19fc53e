// Operator-UI and client traffic on the broker API (docs/load.md): what a dashboard polls while the
// fleet trades — GET /status, GET /bots, GET /audit (from the last entry it saw) — one request per
// iteration (the harness sets the rate; iterations/s = requests/s), in a fixed rotation.
// Type-checked with @types/k6 (load/tsconfig.json); bundled by the harness for k6 (no `?.`/`??` at run time is
// needed: esbuild lowers them to ES2017).
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

const BROKER = __ENV.BROKER_URL;
const TOKEN = __ENV.BROKER_TOKEN;
if (!BROKER) throw new Error('killdrill: BROKER_URL is not set; the harness passes the target\'s broker URL (docs/load.md)');

const params = { headers: { Authorization: `Bearer ${TOKEN ?? ''}` }, tags: {} as Record<string, string> };

/** The rotation: a dashboard reads the status most, the bot list next, the audit log least. */
const ROTATION = ['status', 'bots', 'status', 'audit', 'status', 'bots'] as const;
type Read = (typeof ROTATION)[number];

/** Each VU follows the audit log from where it last read, as a UI would. */
let auditAfter = 0;

function url(read: Read): string {
  if (read === 'audit') return `${BROKER}/audit?after=${auditAfter}`;
  return `${BROKER}/${read}`;
}

export default function (): void {
  const read = ROTATION[exec.scenario.iterationInTest % ROTATION.length];
  const res = http.get(url(read), { ...params, tags: { read } });
  check(res, { [`${read} 200`]: (r) => r.status === 200 });
  if (read === 'audit' && res.status === 200) {
    const body = res.json() as { next?: number } | null;
    if (body && typeof body.next === 'number') auditAfter = body.next;
  }
}
