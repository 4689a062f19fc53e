// The fleet's ceiling (issue 15 item 4): an open-loop ramp of the offered effect rate.
//   node bench/fleet.ts --mode ramp [--bots 1000] [--from 500] [--factor 1.25] [--max 40000] [--seconds 15]
// The bots tick on their own timers, whatever the venue answers (open loop: a slow system does not
// slow the offer down, it drops ticks or queues effects). Each step starts a fresh fleet of --bots
// bots with every class ticking every bots×1000/rate ms, waits for every bot Running, lets it settle
// 2 s, and measures --seconds: accepted effects/s at the venue, dispatch→venue p50/p99, CPU per
// component. offered = the scheduled ticks/s (every tick of every class sends one effect; the
// effects per tick seen at the first step are printed as a check). The ramp stops at the first step whose p99 > 20 ms
// or whose accepted < 95 % of offered; the ceiling is the highest step below both bars.
import { arg, cpuLine, measureWindow, sleep, startBenchFleet, type Window } from './fleet-util.ts';

const BOTS = arg('bots', 1000);
const FROM = arg('from', 500);
const FACTOR = arg('factor', 1.25);
const MAX = arg('max', 40_000);
const SECONDS = arg('seconds', 15);
const P99_BAR_MS = 20;
const ACCEPTED_SHARE = 0.95;

let perTick: number | null = null;
let ceiling: { offered: number; w: Window } | null = null;
let stoppedBy = `reached --max ${MAX}`;
for (let rate = FROM; rate <= MAX; rate = Math.round(rate * FACTOR)) {
  const tickMs = Math.max(1, Math.round((BOTS * 1000) / rate));
  const scheduled = (BOTS * 1000) / tickMs;
  const f = await startBenchFleet(BOTS, tickMs, 'ramp');
  let w: Window;
  try {
    if (f.runningS === null) throw new Error(`killdrill: only ${f.running}/${BOTS} bots Running after 180 s at tickMs ${tickMs}; lower --bots`);
    await sleep(2000);
    w = await measureWindow(f, SECONDS);
  } finally {
    await f.stop();
  }
  perTick ??= w.acceptedPerS / scheduled;
  const offered = scheduled;
  const over = w.p99 > P99_BAR_MS;
  const short = w.acceptedPerS < ACCEPTED_SHARE * offered;
  console.log(`step: tickMs ${tickMs}, offered ${Math.round(offered)}/s, accepted ${Math.round(w.acceptedPerS)}/s, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms; cpu ${cpuLine(w.cpu)}${over ? ' — p99 over 20 ms' : ''}${short ? ' — accepted < 95 % of offered' : ''}`);
  if (over || short) {
    stoppedBy = over ? `p99 ${w.p99.toFixed(1)} ms > ${P99_BAR_MS} ms at ${Math.round(offered)}/s offered` : `accepted ${Math.round(w.acceptedPerS)}/s < 95 % of ${Math.round(offered)}/s offered`;
    break;
  }
  ceiling = { offered, w };
}
console.log(`effects per tick at the first step: ${perTick?.toFixed(3)}${perTick !== null && Math.abs(perTick - 1) > 0.05 ? ' (not 1: the fleet dropped ticks already, or a class sends other than one effect a tick — offered is overstated; start lower with --from)' : ''}; ramp stopped: ${stoppedBy}`);
if (ceiling) console.log(`ceiling: ${Math.round(ceiling.w.acceptedPerS)} effects/s accepted at p99 ${ceiling.w.p99.toFixed(1)} ms ≤ ${P99_BAR_MS} ms (${BOTS} bots); cpu at the ceiling (% of one core): ${cpuLine(ceiling.w.cpu)}`);
else {
  console.log(`ceiling: unknown — the first step (${FROM}/s) already failed a bar; start lower (--from)`);
  process.exitCode = 1;
}
