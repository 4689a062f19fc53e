// The HTML timeline of a 1,000-bot run, opened in real headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeFixtureRun, type Fixture } from './reports-fixture.ts';
import { writeReports } from '../reports/index.ts';
import { findRemoteUrls } from '../reports/remote-urls.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve('out/reports-test');
let tmp: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`killdrill: ${CHROMIUM} is missing; install Debian's chromium package (apt-get install -y chromium)`);
  tmp = mkdtempSync(join(tmpdir(), 'killdrill-reports-'));
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function openTimeline(fx: Fixture, shot: string) {
  const files = writeReports(fx.dir, { secrets: [fx.secret], allureResultsDir: null });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Anything but the file itself would be a network (or disk) load: abort it and record it.
  await page.route('**/*', (route) => (route.request().url() === pathToFileURL(files.timeline).href ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(files.timeline).href, { waitUntil: 'load' });
  await page.screenshot({ path: join(OUT, shot), fullPage: false });
  return { page, requests, errors, files };
}

describe('timeline.html', () => {
  it('at 1,000 bots on 12 daemons: one lane per bot, one red mark per post-flip effect, no request', async () => {
    const fx = writeFixtureRun({ dir: join(tmp, 'platform'), bots: 1000, postFlip: 7 });
    const { page, requests, errors, files } = await openTimeline(fx, 'timeline-1000-bots.png');
    expect(await page.locator('[data-bot]').count()).toBe(fx.bots);
    const slugs = await page.locator('[data-bot]').evaluateAll((els) => els.map((e) => e.getAttribute('data-bot')));
    expect(new Set(slugs).size).toBe(fx.bots);
    // The checker's count (result.json) and the marks drawn from the history agree.
    const result = JSON.parse(readFileSync(join(fx.dir, 'result.json'), 'utf8'));
    expect(await page.locator('.post-flip').count()).toBe(result.counts.postFlipViolations);
    expect(await page.locator('.post-flip').count()).toBe(7);
    // Aggregated per daemon, collapsed at 1,000 bots; a click expands one daemon's bots.
    const groups = page.locator('details.group');
    expect(await groups.count()).toBe(fx.daemons);
    expect(await page.locator('details.group[open]').count()).toBe(0);
    expect(await page.locator('[data-bot]:visible').count()).toBe(0);
    const first = groups.first();
    const inFirst = await first.locator('[data-bot]').count();
    await first.locator('summary').click();
    expect(await page.locator('[data-bot]:visible').count()).toBe(inFirst);
    await page.locator('details.group').nth(1).locator('summary').click();
    await page.locator('.chart').screenshot({ path: join(OUT, 'timeline-1000-bots-expanded.png') });
    // The lever, the fault windows and the restarts after release are drawn.
    expect(await page.locator('.marker.issued').count()).toBe(1);
    expect(await page.locator('.marker.engaged').count()).toBe(1);
    expect(await page.locator('.marker.released').count()).toBe(1);
    expect(await page.locator('.window').count()).toBe(2);
    expect(await page.locator('[data-bot] .restart').count()).toBe(fx.inScope);
    expect(await page.locator('[data-bot] .band.Draining').count()).toBe(fx.inScope);
    expect(requests).toEqual([pathToFileURL(files.timeline).href]);
    expect(errors).toEqual([]);
    expect(findRemoteUrls(files.timeline)).toEqual([]);
    await page.close();
  });

  it('fleet scope, flatten: out-of-scope orders after the flip and in-scope cancels are not marked', async () => {
    const fx = writeFixtureRun({ dir: join(tmp, 'fleet'), bots: 240, scope: 'fleet', target: 'market-making', mode: 'flatten', postFlip: 3 });
    const { page, requests, errors } = await openTimeline(fx, 'timeline-fleet-flatten.png');
    expect(await page.locator('[data-bot]').count()).toBe(240);
    expect(await page.locator('.post-flip').count()).toBe(3);
    // Every red mark sits in an in-scope bot's lane (market-making).
    const owners = await page.locator('.post-flip').evaluateAll((els) => els.map((e) => e.closest('[data-bot]')?.getAttribute('data-bot')));
    expect(owners.every((s) => s?.startsWith('mm-'))).toBe(true);
    expect(await page.locator('[data-bot].out').count()).toBe(240 - fx.inScope);
    expect(requests.length).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a small fleet is expanded by default and a clean run has no red mark', async () => {
    const fx = writeFixtureRun({ dir: join(tmp, 'small'), bots: 24, postFlip: 0 });
    const { page } = await openTimeline(fx, 'timeline-24-bots.png');
    expect(await page.locator('[data-bot]:visible').count()).toBe(24);
    expect(await page.locator('.post-flip').count()).toBe(0);
    expect(await page.locator('.summary .badge.passed').count()).toBe(1);
    await page.close();
  });
});
