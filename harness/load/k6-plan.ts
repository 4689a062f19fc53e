// The scenario's `load.k6` → what the runner starts (run-k6.ts): the script's path and its rate profile in ms
// (a `2x-peak` rate: twice the target's declared peak, peak.ts).
import { parseDuration } from '../scenario/duration.ts';
import type { Scenario } from '../scenario/schema.ts';
import { peakProfile, type Peak } from './peak.ts';
import type { RateProfile } from './profile.ts';
import type { K6Plan } from './run-k6.ts';
import { resolveScript } from './scripts.ts';

type LoadK6 = NonNullable<Scenario['load']['k6']>;

export function k6Plan(k: LoadK6, scenarioFile: string, peak?: Peak): K6Plan {
  const r = resolveScript(k.script, scenarioFile);
  if ('error' in r) throw new Error(`killdrill: ${scenarioFile}: load.k6.script: ${r.error}`);
  const rate = k.rate;
  let fromPeak: K6Plan['fromPeak'];
  let profile: RateProfile;
  if (typeof rate === 'string') {
    const p = peakProfile(rate, peak);
    if ('error' in p) throw new Error(`killdrill: ${scenarioFile}: load.k6.rate: ${p.error}`);
    ({ profile, fromPeak } = p);
  } else
    profile =
      'constant' in rate
        ? { kind: 'constant', rate: rate.constant }
        : { kind: 'ramping', start: rate.start ?? 0, stages: rate.ramping.map((s) => ({ target: s.target, durationMs: parseDuration(s.duration) ?? 0 })) };
  return { script: k.script, scriptPath: r.path, profile, ...(fromPeak ? { fromPeak } : {}), ...(k.vus !== undefined ? { vus: k.vus } : {}), thresholds: k.thresholds ?? {} };
}
