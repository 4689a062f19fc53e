// The soak (issue 15 item 4): is the operator's and the apiserver's memory flat over a drill window?
//   node bench/fleet.ts --mode soak [--bots 10000] [--minutes 10] [--tick-ms 200] [--every-s 10] [--halted-minutes 0]
// Starts alphaswarm with --bots bots, waits for every bot Running, then samples every --every-s the
// RSS of the operator and the apiserver (and the run's summed PSS, the machine's MemAvailable) for
// --minutes under load. Plateau verdict per component: the first fifth of the samples is start-up
// (left out); the rest is cut in two halves; it plateaus when the second half's highest RSS is at most
// 2 % (and 8 MiB) above the first half's. Fewer than 3 samples a half is `unknown`, never plateau.
// --halted-minutes H: then the whole platform is halted (POST /killswitch on the broker, cancel) and
// sampled H minutes more, with its own verdict (the issue saw the operator grow after the halt too).
import { arg, sleep, startBenchFleet } from './fleet-util.ts';
import { memAvailable, runMem, runPids } from './run-procs.ts';
import { plateau } from './plateau.ts';

const BOTS = arg('bots', 10_000);
const MINUTES = arg('minutes', 10);
const TICK_MS = arg('tick-ms', 200);
const EVERY_S = arg('every-s', 10);
const HALTED_MINUTES = arg('halted-minutes', 0);
const WATCHED = ['operator', 'apiserver'];
const mib = (b: number) => Math.round(b / 2 ** 20);

{
  const before = memAvailable();
  const f = await startBenchFleet(BOTS, TICK_MS, 'soak');
  try {
    if (f.runningS === null) throw new Error(`killdrill: only ${f.running}/${BOTS} bots Running after 180 s; lower --bots`);
    console.log(`soak: alphaswarm, ${BOTS} bots, tickMs ${TICK_MS}; every bot Running after ${f.runningS.toFixed(1)} s; sampling every ${EVERY_S} s for ${MINUTES} min`);
    const before0 = before;
    const soak = async (label: string, minutes: number) => {
      const series = new Map<string, number[]>(WATCHED.map((c) => [c, []]));
      const t0 = Date.now();
      let pids = runPids(f.runId);
      for (let i = 0; Date.now() - t0 < minutes * 60_000; i++) {
        if (i % 6 === 0) pids = runPids(f.runId);
        const m = runMem(pids, true);
        for (const c of WATCHED) series.get(c)!.push(m.rss.get(c) ?? NaN);
        const pss = [...m.pss.values()].reduce((x, y) => x + y, 0);
        console.log(`  ${label} t+${Math.round((Date.now() - t0) / 1000)} s: ${WATCHED.map((c) => `${c} ${mib(m.rss.get(c) ?? NaN)} MiB`).join(', ')}; summed PSS ${mib(pss)} MiB; MemAvailable drop ${mib(before0 - memAvailable())} MiB`);
        await sleep(EVERY_S * 1000);
      }
      for (const c of WATCHED) {
        const p = plateau(series.get(c)!);
        console.log(`${c} (${label}): ${p.verdict} (highest RSS first half ${mib(p.firstMax)} MiB, second half ${mib(p.secondMax)} MiB; ${series.get(c)!.length} samples)`);
        if (p.verdict !== 'plateau') process.exitCode = 1;
      }
    };
    await soak('running', MINUTES);
    if (HALTED_MINUTES > 0) {
      const res = await fetch(`${f.ep.brokerUrl}/killswitch`, { method: 'POST', headers: { authorization: `Bearer ${f.ep.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'platform', target: 'platform', mode: 'cancel', reason: 'bench soak: halted phase' }) });
      if (!res.ok) throw new Error(`killdrill: the broker refused the platform halt (${res.status}): ${await res.text()}`);
      console.log('soak: the whole platform halted (POST /killswitch platform, cancel)');
      await soak('halted', HALTED_MINUTES);
    }
  } finally {
    await f.stop();
  }
}
