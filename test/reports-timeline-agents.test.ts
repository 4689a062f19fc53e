// The HTML timeline's agent runs (issue 14), opened in real headless Chromium: each run's calls as
// bars, the aborted ones marked with their abort time, children right under their parent, and
// each worker's queue depth over time — from the run journal's agent-call and agent-queue ops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeFixtureRun } from './reports-fixture.ts';
import { writeReports } from '../reports/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve('out/reports-test');
let tmp: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`killdrill: ${CHROMIUM} is missing; install Debian's chromium package (apt-get install -y chromium)`);
  tmp = mkdtempSync(join(tmpdir(), 'killdrill-reports-agents-'));
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const call = (run_id: string, id: string, kind: string, name: string, startedAt: number, endedAt: number, o: Record<string, unknown> = {}) => ({
  t: endedAt, type: 'agent-call', run_id, slug: 'ag-aapl-1', worker: 'node-a.w1', pid: 1, at: endedAt, id, kind, name, status: 200, startedAt, endedAt, aborted: false, abortedAt: null, ...o,
});

/** A fixture run with the run journal of two root runs and a child, and the queue sampled every second. */
function agentRun(dir: string) {
  const fx = writeFixtureRun({ dir, bots: 12, postFlip: 0 });
  const history = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const k = history.find((o) => o.type === 'lever-issued' && o.lever === 'kill')!.at as number;
  const ops = [
    call('run-a', 'w1-1', 'llm', 'sim-model', k - 2000, k - 1500),
    call('run-a', 'w1-2', 'tool', 'place-order', k - 1400, k - 1000, { access: 'write' }),
    call('run-a', 'w1-5', 'llm', 'sim-model', k - 200, k + 150, { aborted: true, abortedAt: k + 150 }),
    { ...call('run-a.c1', 'w1-4', 'tool', 'deep-research', k - 500, k + 100, { access: 'read', aborted: true, abortedAt: k + 100 }), parent: 'run-a' },
    call('run-b', 'w1-3', 'tool', 'get-quote', k - 900, k - 860, { access: 'read' }),
    ...Array.from({ length: 9 }, (_, i) => ({ t: k + i, type: 'agent-queue', worker: 'node-a.w1', pid: 1, at: k - 3000 + i * 1000, counts: { waiting: i < 3 ? 4 : 0, delayed: i < 3 ? 2 : 0, active: i < 3 ? 3 : 0, prioritized: 0, 'waiting-children': i < 3 ? 1 : 0, completed: 10 * i, failed: 0 } })),
  ];
  appendFileSync(join(dir, 'history.jsonl'), ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
  return fx;
}

async function open(dir: string, secret: string, shot: string) {
  const files = writeReports(dir, { secrets: [secret], allureResultsDir: null });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => (route.request().url() === pathToFileURL(files.timeline).href ? route.continue() : (requests.push(route.request().url()), route.abort())));
  await page.goto(pathToFileURL(files.timeline).href, { waitUntil: 'load' });
  await page.screenshot({ path: join(OUT, shot), fullPage: true });
  return { page, requests, errors };
}

describe('timeline.html: agent runs', () => {
  it('draws calls as bars with the aborted ones marked, children under their parent, the queue depth over time', async () => {
    const fx = agentRun(join(tmp, 'agents'));
    const { page, requests, errors } = await open(fx.dir, fx.secret, 'timeline-agents.png');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // One lane per run, the child right after its parent, indented and naming it.
    const runs = await page.locator('[data-run]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-run'), e.getAttribute('data-parent')]));
    expect(runs).toEqual([['run-a', null], ['run-a.c1', 'run-a'], ['run-b', null]]);
    expect(await page.locator('[data-run="run-a.c1"] .label').innerText()).toMatch(/↳ \.c1/);
    // Every call a bar; the two aborted ones red with a ✕ at their abort time, named in the tooltip.
    expect(await page.locator('[data-call] rect.call').count()).toBe(5);
    const aborted = page.locator('[data-aborted="1"]');
    expect(await aborted.evaluateAll((els) => els.map((e) => e.getAttribute('data-call')).sort())).toEqual(['w1-4', 'w1-5']);
    expect(await page.locator('[data-aborted="1"] rect.call.aborted').count()).toBe(2);
    expect(await page.locator('[data-aborted="1"] .abort-mark').count()).toBe(2);
    expect(await page.locator('[data-call="w1-5"] title').textContent()).toMatch(/llm sim-model −0\.200 s → \+0\.150 s, aborted at \+0\.150 s/);
    expect(await page.locator('[data-call="w1-2"] rect').getAttribute('class')).toBe('call tool-write');
    // The worker's queue: one point a sample, the queued count (waiting + delayed + prioritized + waiting-children).
    const pts = page.locator('[data-worker="node-a.w1"] .queue-pt');
    expect(await pts.count()).toBe(9);
    expect(await pts.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-queued'))))).toEqual([7, 7, 7, 0, 0, 0, 0, 0, 0]);
    // Drawn left to right in time: the bar of a later call starts further right.
    const x = async (id: string) => Number(await page.locator(`[data-call="${id}"] rect`).getAttribute('x'));
    expect(await x('w1-1')).toBeLessThan(await x('w1-2'));
    expect(await x('w1-2')).toBeLessThan(await x('w1-5'));
    await page.close();
  });

  it('has no agent section without a run journal', async () => {
    const fx = writeFixtureRun({ dir: join(tmp, 'bots'), bots: 12, postFlip: 0 });
    const { page, errors } = await open(fx.dir, fx.secret, 'timeline-no-agents.png');
    expect(errors).toEqual([]);
    expect(await page.locator('[data-run], .agent-queue').count()).toBe(0);
    await page.close();
  });
});
