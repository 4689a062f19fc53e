// The stop-condition options of `killdrill run` (harness/runner/case-stop.ts does the stopping).
import type { OptionSpec, Values } from '../../lib/cli.ts';
import { UsageError } from '../../lib/cli.ts';
import { parseDuration } from '../scenario/index.ts';
import type { StopOptions } from '../runner/case-stop.ts';

export const stopOptionSpecs: Record<string, OptionSpec> = {
  'max-case-duration': { type: 'string', value: 'DURATION', help: 'stop condition: interrupt a case that runs longer than this wall-clock time (e.g. 90s, 5m), fleet start included' },
  'stop-on-no-restart': { type: 'boolean', help: 'stop condition: interrupt a case whose bots are not all Running again within the restart budget after the release (the bots are named)' },
  guard: { type: 'string', value: 'URL', multiple: true, help: 'stop condition: GET URL every second during each case; an answer other than 2xx (or none within 2 s) interrupts it' },
  'guard-redis-key': { type: 'string', value: 'KEY', multiple: true, help: "stop condition: interrupt a case as soon as KEY exists in the drilled fleet's Redis (probed every second)" },
};

/** The stop options given; UsageError (`killdrill: …`) for a bad value. */
export function parseStopOptions(values: Values): StopOptions {
  const o: StopOptions = {};
  const max = values['max-case-duration'];
  if (typeof max === 'string') {
    const ms = parseDuration(max);
    if (ms === null || ms <= 0) throw new UsageError(`killdrill: --max-case-duration must be a duration above 0 such as 90s or 5m, not '${max}'`);
    o.maxCaseDurationMs = ms;
  }
  if (values['stop-on-no-restart'] === true) o.stopOnNoRestart = true;
  const urls = (values.guard as string[] | undefined) ?? [];
  for (const u of urls) {
    let url: URL | null = null;
    try {
      url = new URL(u);
    } catch {
      url = null;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) throw new UsageError(`killdrill: --guard needs an http:// or https:// URL, not '${u}'; give the health endpoint that must answer 2xx`);
  }
  if (urls.length) o.guardUrls = urls;
  const keys = (values['guard-redis-key'] as string[] | undefined) ?? [];
  for (const k of keys) if (k.trim() === '') throw new UsageError("killdrill: --guard-redis-key needs a key name, e.g. --guard-redis-key drill:stop");
  if (keys.length) o.guardRedisKeys = keys;
  return o;
}
