// Reads the bots' journals (docs/contracts.md §6) over the wire — the broker's `GET /journal?after=`
// (§3) — after the observers stopped and before the fleet stops, and turns them into `journal` ops:
// one per intent, with its outcome if recorded; the daemons' shutdown-gate and circuit-breaker
// records pass through as ops of their type. The harness never reads the fleet's disk for them.
import { nowMs } from '../../contracts/index.ts';
import { describeError, withQuery } from '../../lib/http.ts';
import type { Emit } from './emit.ts';

interface Entry {
  type: 'intent' | 'outcome';
  key: string;
  bot: string;
  kind?: string;
  status?: string;
  seq?: number;
  at: number;
}

interface JournalPage {
  entries: unknown[];
  next: string;
  done: boolean;
  files?: number;
}

/** The broker's page size asked for; the broker caps it (JOURNAL_PAGE_MAX). */
const PAGE_LIMIT = 5000;
/** A broker that is briefly away (KeepAlive restarting it after a fault or a level-3 self-stop) is retried this long. */
const RETRY_FOR_MS = 20_000;

/** The journal's full URL (the simulated fleet's broker serves it at /journal) and its token. */
export interface JournalSource {
  url: string;
  token?: string;
}

/** Every page from the start until the broker says done. Throws a `killdrill:` error when it cannot. */
export async function fetchJournal(src: JournalSource, opts: { retryForMs?: number; pageLimit?: number } = {}): Promise<{ entries: unknown[]; files: number }> {
  const entries: unknown[] = [];
  let after = '';
  let files = 0;
  const retryForMs = opts.retryForMs ?? RETRY_FOR_MS;
  for (let pages = 0; ; pages++) {
    if (pages > 100_000) throw new Error('killdrill: the broker\'s GET /journal never said done after 100000 pages; check the broker');
    const q = new URLSearchParams({ limit: String(opts.pageLimit ?? PAGE_LIMIT), ...(after ? { after } : {}) });
    const page = await getPage(withQuery(src.url, Object.fromEntries(q)), src.token, retryForMs);
    entries.push(...page.entries);
    files = page.files ?? files;
    after = page.next;
    if (page.done) return { entries, files };
  }
}

async function getPage(url: string, token: string | undefined, retryForMs: number): Promise<JournalPage> {
  const deadline = nowMs() + retryForMs;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(url, { headers: token !== undefined ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      if (nowMs() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      throw new Error(`killdrill: the broker did not answer GET /journal within ${retryForMs} ms (${describeError(err)}); check the broker's log`);
    }
    const text = await res.text();
    // 5xx: a broker starting up or in trouble; retried like a refused connection. 4xx is final.
    if (res.status >= 500 && nowMs() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (!res.ok) throw new Error(`killdrill: the broker's GET /journal answered ${res.status}: ${text.slice(0, 300)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`killdrill: the broker's GET /journal answered something that is not JSON: ${text.slice(0, 100)}`);
    }
    const p = body as Partial<JournalPage>;
    if (!p || !Array.isArray(p.entries) || typeof p.next !== 'string' || typeof p.done !== 'boolean') {
      throw new Error('killdrill: the broker\'s GET /journal answer lacks entries, next or done; see docs/contracts.md §3');
    }
    return p as JournalPage;
  }
}

/** Journal entries (in each daemon's file order) → one `journal` op per idempotency key. */
export function emitJournalOps(entries: unknown[], emit: Emit): number {
  const intents = new Map<string, { bot: string; key: string; kind: string; intentAt: number; outcome: string | null; seq: number | null; reintentsAt?: number[] }>();
  for (const raw of entries) {
    const e = raw as Entry;
    if (e && typeof e === 'object' && (e as { type?: unknown }).type === 'shutdown') {
      emit(e as unknown as { type: string }); // a daemon's shutdown-gate record (§6): no-partial-orders reads it
      continue;
    }
    if (e && typeof e === 'object' && (e as { type?: unknown }).type === 'breaker') {
      emit(e as unknown as { type: string }); // a bot's circuit-breaker transition (§6, seed 003): breaker-tripped reads it
      continue;
    }
    if (e && typeof e === 'object' && typeof (e as { type?: unknown }).type === 'string' && (e as { type: string }).type.startsWith('agent-')) {
      emit(e as unknown as { type: string }); // an agent worker's run journal (docs/agents.md "Resume"): resume-respects-halt reads it
      continue;
    }
    if (!e || typeof e !== 'object' || typeof e.key !== 'string') continue;
    if (e.type === 'intent') {
      const had = intents.get(e.key);
      if (!had) intents.set(e.key, { bot: e.bot, key: e.key, kind: e.kind ?? '', intentAt: e.at, outcome: null, seq: null });
      // A retry is a new attempt under the same key: bot-gate-held judges every attempt's time.
      else if (!Number.isNaN(had.intentAt)) (had.reintentsAt ??= []).push(e.at);
    } else if (e.type === 'outcome') {
      const i = intents.get(e.key);
      if (i) {
        // The last word wins: a retry that landed after a failure is landed.
        if (i.outcome !== 'landed') {
          i.outcome = e.status ?? null;
          i.seq = e.seq ?? null;
        }
      } else {
        intents.set(e.key, { bot: e.bot, key: e.key, kind: '', intentAt: Number.NaN, outcome: e.status ?? null, seq: e.seq ?? null });
      }
    }
  }
  for (const i of intents.values()) emit({ type: 'journal', ...i, intentAt: Number.isNaN(i.intentAt) ? null : i.intentAt });
  return intents.size;
}

/**
 * Reads the whole journal over the wire and records it: `journal` ops and `journal-read`, or one
 * `observer-failed` (source `journal`) when the broker cannot give it (journal-consistent is then unknown).
 */
export async function readJournal(src: JournalSource, emit: Emit): Promise<void> {
  const from = nowMs();
  let got: { entries: unknown[]; files: number };
  try {
    got = await fetchJournal(src);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    emit({ type: 'observer-failed', source: 'journal', error: msg.startsWith('killdrill:') ? msg : `killdrill: ${msg}`, from, to: nowMs(), recovered: false });
    return;
  }
  const intents = emitJournalOps(got.entries, emit);
  emit({ type: 'journal-read', intents, files: got.files });
}
