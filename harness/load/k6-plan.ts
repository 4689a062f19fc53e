// The scenario's `load.k6` → what the runner starts (run-k6.ts): the script's path and its rate profile in ms.
import { parseDuration } from '../scenario/duration.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RateProfile } from './profile.ts';
import type { K6Plan } from './run-k6.ts';
import { resolveScript } from './scripts.ts';

type LoadK6 = NonNullable<Scenario['load']['k6']>;

export function k6Plan(k: LoadK6, scenarioFile: string): K6Plan {
  const r = resolveScript(k.script, scenarioFile);
  if ('error' in r) throw new Error(`killdrill: ${scenarioFile}: load.k6.script: ${r.error}`);
  const profile: RateProfile =
    'constant' in k.rate
      ? { kind: 'constant', rate: k.rate.constant }
      : { kind: 'ramping', start: k.rate.start ?? 0, stages: k.rate.ramping.map((s) => ({ target: s.target, durationMs: parseDuration(s.duration) ?? 0 })) };
  return { script: k.script, scriptPath: r.path, profile, ...(k.vus !== undefined ? { vus: k.vus } : {}), thresholds: k.thresholds ?? {} };
}
