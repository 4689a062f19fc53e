import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calibrateEpochOffset, impliedRealtimeOffsetMs, nowMs } from './clock.ts';

/**
 * A fake pair of clocks on one true timeline: each read advances it `stepMs`, and `pause(n)` (n counts
 * reads) may add a longer gap, as a deschedule would. The wall clock is true time + offset, floored to ms.
 */
function fakeClocks(offset: number, stepMs: number, pause: (n: number) => number = () => 0) {
  let t = 1000.1234;
  let n = 0;
  const tick = () => (t += stepMs + pause(++n));
  const monoMs = () => tick();
  const wallMs = () => Math.floor(tick() + offset);
  return { monoMs, wallMs };
}

describe('clock calibration', () => {
  it('finds REALTIME − MONOTONIC from millisecond edges to within one read', () => {
    const { monoMs, wallMs } = fakeClocks(1_795_000_000_000.3712, 0.001);
    const got = calibrateEpochOffset(wallMs, monoMs);
    expect(got).toBeLessThanOrEqual(1_795_000_000_000.3712);
    expect(1_795_000_000_000.3712 - got).toBeLessThan(0.003);
  });

  it('is not pulled off by deschedules: late monotonic reads and jumps across an edge', () => {
    // Every 97th read is descheduled for 0.7 ms, every 389th for 3 ms: samples read late are smaller and
    // lose to the max; edges jumped across are dropped.
    const { monoMs, wallMs } = fakeClocks(500.25, 0.002, (n) => (n % 389 === 0 ? 3 : n % 97 === 0 ? 0.7 : 0));
    const got = calibrateEpochOffset(wallMs, monoMs, 12);
    expect(got).toBeLessThanOrEqual(500.25);
    expect(500.25 - got).toBeLessThan(0.01);
  });

  it('falls back to the plain difference when the wall clock never ticks', () => {
    let mono = 0;
    const got = calibrateEpochOffset(() => 42, () => (mono += 0.5), 2);
    expect(got).toBeCloseTo(42.5 - mono, 6);
  });

  it('nowMs is close to Date.now()', () => {
    expect(Math.abs(nowMs() - Date.now())).toBeLessThan(2);
  });

  it('processes started together on a busy machine agree on the epoch offset', { timeout: 60_000 }, async () => {
    // performance.timeOrigin differed by 8 ms between two fleet processes in CI; these must agree to µs.
    const clock = fileURLToPath(new URL('./clock.ts', import.meta.url));
    const script = `import(${JSON.stringify(clock)}).then((c) => console.log(c.impliedRealtimeOffsetMs()))`;
    const hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 8000);'], { stdio: 'ignore' }));
    try {
      const offsets = await Promise.all(
        Array.from({ length: 16 }, () => new Promise<number>((resolve, reject) => {
          const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          p.stdout.on('data', (d) => (out += d));
          p.on('error', reject);
          p.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child exited ${code}`))));
        })),
      );
      const spread = Math.max(...offsets) - Math.min(...offsets);
      expect(offsets.every(Number.isFinite)).toBe(true);
      expect(spread, `offsets ${offsets.join(', ')}`).toBeLessThan(0.25);
      expect(Math.abs(offsets[0] - impliedRealtimeOffsetMs())).toBeLessThan(0.25);
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
    }
  });
});
