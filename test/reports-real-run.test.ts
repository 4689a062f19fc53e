// The reports of a REAL run (not a fixture): `killdrill run` on an incident reproduction that
// lets post-flip effects out, then `npm run report`'s builder on its Allure results. The timeline
// has a lane per bot of the run's roster and one red mark per violation the checker counted, the
// page makes no network request, the evidence validates against its schema, the fleet's tokens
// appear in no report file, and neither the timeline nor the Allure HTML references a remote URL.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runEvidenceSchema } from '../reports/index.ts';
import { findRemoteUrls } from '../reports/remote-urls.ts';
import { buildAllureReport } from '../reports/allure-report.ts';

const ROOT = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'killdrill-real-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const walk = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => walk(join(p, n))) : [p]);

describe('reports of a real run', () => {
  it('timeline, evidence and Allure HTML from killdrill run on kill-state-cached-at-boot', { timeout: 180_000 }, async () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'cli/main.ts'), 'run', 'scenarios/incidents/kill-state-cached-at-boot.yaml', '--out', tmp], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 170_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const [id] = readdirSync(join(tmp, 'runs'));
    const dir = join(tmp, 'runs', id);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { counts: { bots: number; postFlipViolations: number } };
    expect(result.counts.postFlipViolations).toBeGreaterThan(0); // the bug really let effects out

    // The fleet's tokens (only in its own data dir) reach no report.
    const fleet = JSON.parse(readFileSync(join(dir, 'fleet', 'fleet.json'), 'utf8')) as { token: string; releaseToken: string };
    const resultsDir = join(tmp, 'allure-results');
    const reportDir = join(tmp, 'allure-report');
    buildAllureReport({ resultsDirs: [resultsDir], outDir: reportDir });
    expect(existsSync(join(reportDir, 'index.html'))).toBe(true);
    const reports = [join(dir, 'evidence.json'), join(dir, 'timeline.html'), join(dir, 'result.json'), join(dir, 'history.jsonl'), ...walk(resultsDir), ...walk(reportDir)];
    for (const f of reports) {
      const text = readFileSync(f, 'latin1');
      expect(text.includes(fleet.token), `token in ${f}`).toBe(false);
      expect(text.includes(fleet.releaseToken), `releaseToken in ${f}`).toBe(false);
    }
    expect(findRemoteUrls(reportDir)).toEqual([]);
    expect([...findRemoteUrls(join(dir, 'timeline.html')), ...findRemoteUrls(join(dir, 'evidence.json'))]).toEqual([]);

    // Evidence validates against its schema.
    const evidence = runEvidenceSchema.safeParse(JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')));
    expect(evidence.success, JSON.stringify(evidence.error?.issues?.slice(0, 3))).toBe(true);

    // The timeline in headless Chromium: lanes = bots, red marks = the checker's count, no request.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const url = `file://${join(dir, 'timeline.html')}`;
      await page.goto(url);
      expect(await page.locator('[data-bot]').count()).toBe(result.counts.bots);
      expect(await page.locator('.post-flip').count()).toBe(result.counts.postFlipViolations);
      await page.screenshot({ path: join(ROOT, 'out', 'reports-test', 'real-run-timeline.png'), fullPage: true });
      expect(requests.filter((u) => u !== url)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
