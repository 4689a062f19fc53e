// Preloaded into `killdrill run` by bench/harness-load.ts (`node --import`): counts every HTTP request
// the harness sends (global fetch, by host:port and first path segment) and every Redis command
// (ioredis, by command name), per second since the process started; written as JSON to
// $KILLDRILL_COUNT_OUT when the process exits. A benchmark's instrument, not part of killdrill.
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';

const out = process.env.KILLDRILL_COUNT_OUT;
const t0 = performance.now();
const epochT0 = performance.timeOrigin + t0;
const perSecond: Array<Record<string, number>> = [];
function count(key: string): void {
  const s = Math.floor((performance.now() - t0) / 1000);
  const row = (perSecond[s] ??= {});
  row[key] = (row[key] ?? 0) + 1;
}

const realFetch = globalThis.fetch;
globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  count(`http ${url.port} /${url.pathname.split('/')[1] ?? ''}`);
  return realFetch(input, init);
}) as typeof fetch;

type Send = (this: Redis, command: { name: string }, ...rest: unknown[]) => unknown;
const proto = Redis.prototype as unknown as { sendCommand: Send };
const realSend = proto.sendCommand;
proto.sendCommand = function (this: Redis, command: { name: string }, ...rest: unknown[]) {
  count(`redis ${command.name}`);
  return realSend.call(this, command, ...rest);
};

if (out) process.on('exit', () => writeFileSync(out, JSON.stringify({ epochT0, seconds: (performance.now() - t0) / 1000, perSecond: Array.from(perSecond, (r) => r ?? {}) })));
