// no-partial-orders (seed 003's graceful shutdown): from the journal and the ledger, for every
// daemon life that journaled `shutdown-requested`:
// - no submission (a kind the cancel mode forbids: order, action; the drain's cancels and closes
//   are its work) started after the request — no intent or retry in the journal, no effect of that
//   daemon's bots dispatched in the ledger — up to the life's end;
// - every intent of its bots started in that life before its end has an outcome (landed, rejected,
//   or failed = never sent): none left open at exit. An open one the ledger holds landed unbeknownst.
// A life ends at its `drained`/`drain-timeout` record, else at its daemon's next exit or start (the
// supervisor's events), else at the end of the observed run. Opt-in (expect names it). Unknown when
// the journal was not read or no daemon journaled a shutdown.
// The gateway's own gate (records with component 'gateway', gateway-shutdowns.ts): no effect
// dispatched at or after its shutdown-requested reached the venue before its drained, and it
// journaled drained or drain-timeout.
import type { JournalOp, ShutdownOp } from '../history/index.ts';
import type { Checker } from './types.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { modeAllows } from './spec/modes.ts';
import { fmtMs } from './stats.ts';
import { gatewayLeaks, gatewayLives } from './gateway-shutdowns.ts';

interface Life {
  host: string;
  daemon: string;
  bootId: string;
  startAt: number;
  requestedAt: number;
  endAt: number;
  end: 'drained' | 'drain-timeout' | 'exit' | 'restart' | 'run-end';
  waitedMs: number | null;
  inFlight: number | null;
}

export const noPartialOrders: Checker = (h) => {
  const name = 'no-partial-orders';
  if (!h.journalRead()) return unknown(name, 'the journals were not read after the run (the fleet never came up, or the run was cut short), so no shutdown can be judged');
  const all = h.shutdowns();
  const records = all.filter((r) => r.component !== 'gateway');
  const requests = records.filter((r) => r.event === 'shutdown-requested');
  const gateways = gatewayLives(all, h.observedUntil());
  if (!requests.length && !gateways.length) return unknown(name, 'no daemon and no gateway journaled a shutdown-requested: no shutdown happened in this run (or they have no shutdown gate), so nothing proves the drain');
  const roster = h.roster();
  if (requests.length && !roster.length) return unknown(name, 'no roster was recorded, so which bots each daemon runs is unknown');
  const daemonOf = new Map(roster.map((b) => [b.slug, `${b.host}/${b.daemon}`]));
  const events = h.daemonEvents();
  const until = h.observedUntil();
  const lives: Life[] = [];
  const lastEnd = new Map<string, number>();
  for (const r of [...requests].sort((a, b) => a.at - b.at)) {
    const d = `${r.host}/${r.daemon}`;
    const closing = records.find((x) => x.bootId === r.bootId && x.host === r.host && x.daemon === r.daemon && (x.event === 'drained' || x.event === 'drain-timeout'));
    const next = events.filter((e) => e.host === r.host && e.daemon === r.daemon && e.at >= r.at).sort((a, b) => a.at - b.at)[0];
    const end: Pick<Life, 'endAt' | 'end'> = closing
      ? { endAt: closing.at, end: closing.event as 'drained' | 'drain-timeout' }
      : next
        ? { endAt: next.at, end: next.event === 'exit' ? 'exit' : 'restart' }
        : { endAt: Math.max(until, r.at), end: 'run-end' };
    lives.push({ host: r.host, daemon: r.daemon, bootId: r.bootId, startAt: lastEnd.get(d) ?? -Infinity, requestedAt: r.at, ...end, waitedMs: (closing as ShutdownOp | undefined)?.waitedMs ?? null, inFlight: r.inFlight ?? null });
    lastEnd.set(d, end.endAt);
  }
  const journal = h.journal().filter((j) => j.intentAt !== null);
  const effects = h.effects();
  const landed = new Set(effects.map((e) => e.key));
  const forbidden = (kind: string) => !modeAllows('cancel', kind);
  const afterRequest: Array<{ daemon: string; bot: string; key: string; kind: string; at: number; source: 'journal' | 'ledger'; afterMs: number }> = [];
  const leftOpen: Array<{ daemon: string; bot: string; key: string; kind: string; intentAt: number; inLedger: boolean }> = [];
  for (const l of lives) {
    const d = `${l.host}/${l.daemon}`;
    const mine = (bot: string) => daemonOf.get(bot) === d;
    const seen = new Set<string>();
    for (const j of journal) {
      if (!mine(j.bot)) continue;
      for (const at of attempts(j)) {
        if (at >= l.requestedAt && at <= l.endAt && forbidden(j.kind)) {
          afterRequest.push({ daemon: d, bot: j.bot, key: j.key, kind: j.kind, at, source: 'journal', afterMs: at - l.requestedAt });
          seen.add(j.key);
        }
      }
      if (j.outcome === null && j.intentAt! >= l.startAt && j.intentAt! <= l.endAt) leftOpen.push({ daemon: d, bot: j.bot, key: j.key, kind: j.kind, intentAt: j.intentAt!, inLedger: landed.has(j.key) });
    }
    for (const e of effects) {
      if (mine(e.bot) && forbidden(e.kind) && e.dispatchedAt >= l.requestedAt && e.dispatchedAt <= l.endAt && !seen.has(e.key)) afterRequest.push({ daemon: d, bot: e.bot, key: e.key, kind: e.kind, at: e.dispatchedAt, source: 'ledger', afterMs: e.dispatchedAt - l.requestedAt });
    }
  }
  const timeouts = lives.filter((l) => l.end === 'drain-timeout');
  const leaks = gatewayLeaks(gateways, effects);
  const details = {
    shutdowns: lives.map((l) => ({ daemon: `${l.host}/${l.daemon}`, bootId: l.bootId, requestedAt: l.requestedAt, endAt: l.endAt, end: l.end, waitedMs: l.waitedMs, inFlightAtRequest: l.inFlight })),
    gatewayShutdowns: gateways.map((l) => ({ bootId: l.bootId, requestedAt: l.requestedAt, endAt: l.endAt, end: l.end, waitedMs: l.waitedMs, inFlightAtRequest: l.inFlight })),
    gatewayAccepted: leaks.length,
    firstGatewayAccepted: leaks.slice(0, 20),
    startedAfterRequest: afterRequest.length,
    firstAfterRequest: afterRequest.slice(0, 20),
    leftOpen: leftOpen.length,
    firstLeftOpen: leftOpen.slice(0, 20),
    drainTimeouts: timeouts.length,
  };
  const problems: string[] = [];
  if (afterRequest.length) {
    const worst = Math.max(...afterRequest.map((a) => a.afterMs));
    problems.push(`${afterRequest.length} submission(s) started after their daemon's shutdown-requested (the last ${fmtMs(worst)} after it): ${list([...new Set(afterRequest.map((a) => a.daemon))])}`);
  }
  if (leftOpen.length) {
    const inLedger = leftOpen.filter((o) => o.inLedger).length;
    problems.push(`${leftOpen.length} submission(s) left open at their daemon's exit, no outcome journaled (${inLedger} of them landed at the venue unbeknownst): ${list([...new Set(leftOpen.map((o) => o.daemon))])}`);
  }
  const noEnd = lives.filter((l) => l.end !== 'drained' && l.end !== 'drain-timeout');
  if (noEnd.length) problems.push(`${noEnd.length} shutdown(s) never journaled drained or drain-timeout (${list(noEnd.map((l) => `${l.host}/${l.daemon}`))}): the daemon exited without its drain`);
  if (leaks.length) {
    const worst = Math.max(...leaks.map((a) => a.afterMs));
    problems.push(`the gateway forwarded ${leaks.length} submission(s) dispatched after its shutdown-requested (the last ${fmtMs(worst)} after it) to the venue: it accepted new submissions while shutting down`);
  }
  const gwNoEnd = gateways.filter((l) => l.end !== 'drained' && l.end !== 'drain-timeout');
  if (gwNoEnd.length) problems.push(`${gwNoEnd.length} gateway shutdown(s) never journaled drained or drain-timeout: the gateway exited without its drain`);
  if (problems.length) return { checker: name, valid: false, summary: problems.join('; '), details };
  const waited = [...lives, ...gateways].map((l) => l.waitedMs ?? 0);
  const parts = [
    ...(lives.length ? [`${lives.length} daemon shutdown(s) drained: no submission started after shutdown-requested, every one in flight landed or was rejected before exit`] : []),
    ...(gateways.length ? [`${gateways.length} gateway shutdown(s) drained: nothing dispatched after shutdown-requested reached the venue`] : []),
  ];
  return {
    checker: name,
    valid: true,
    summary: `${parts.join('; ')} (longest drain ${fmtMs(Math.max(...waited))}, ${[...lives, ...gateways].reduce((n, l) => n + (l.inFlight ?? 0), 0)} in flight at the requests)`,
    details,
  };
};

function attempts(j: JournalOp): number[] {
  return [j.intentAt!, ...(j.reintentsAt ?? [])];
}
