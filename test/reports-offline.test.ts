// No secret in any report, and no remote URL anywhere: the timeline, the Allure results, and the
// Allure HTML report `npm run report` builds (served from 127.0.0.1 to real Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { writeFixtureRun, type Fixture } from './reports-fixture.ts';
import { writeReports } from '../reports/index.ts';
import { findRemoteUrls, findRemoteUrlsInText } from '../reports/remote-urls.ts';
import { buildAllureReport } from '../reports/allure-report.ts';

const RELEASE_TOKEN = 'kd-release-9b8c7d6e5f4a3b2c1d0e';
let tmp: string;
let fx: Fixture;
let resultsDir: string;
let reportDir: string;

const walk = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => walk(join(p, n))) : [p]);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'killdrill-offline-'));
  fx = writeFixtureRun({ dir: join(tmp, 'run'), bots: 1000, postFlip: 5 });
  resultsDir = join(tmp, 'allure-results');
  reportDir = resolve('out/reports-test/allure-report');
  writeReports(fx.dir, { secrets: [fx.secret, RELEASE_TOKEN], allureResultsDir: resultsDir, owner: 'risk-desk' });
  buildAllureReport({ resultsDirs: [resultsDir], outDir: reportDir });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('secrets', () => {
  it('the token leaked into the history appears in no report file', () => {
    expect(readFileSync(join(fx.dir, 'history.jsonl'), 'utf8')).toContain(fx.secret); // the fixture really leaks it
    const reports = [join(fx.dir, 'evidence.json'), join(fx.dir, 'timeline.html'), ...walk(resultsDir), ...walk(reportDir)];
    expect(reports.length).toBeGreaterThan(5);
    for (const f of reports) {
      const text = readFileSync(f, 'latin1');
      expect(text.includes(fx.secret), f).toBe(false);
    }
    // One redaction module: a secret-looking key's value goes whole, a known secret inside any text too.
    const history = readFileSync(walk(resultsDir).find((f) => f.endsWith('.txt')) as string, 'utf8');
    expect(history).toContain('"authorization":"[redacted]"');
    expect(history).toContain('with token [redacted] timed out');
  });
});

describe('Allure results', () => {
  it('one result: phases as steps, parameters, labels, attachments', () => {
    const files = walk(resultsDir);
    const resultFiles = files.filter((f) => f.endsWith('-result.json'));
    expect(resultFiles).toHaveLength(1);
    const r = JSON.parse(readFileSync(resultFiles[0], 'utf8'));
    expect(r.status).toBe('failed');
    expect(r.steps.map((s: { name: string }) => s.name)).toEqual([
      'fleet up', 'warm-up under load', 'fault link-pubsub-drop (pubsub-drop-node-b)', 'fault process-kill (kill-rl-b)',
      'kill: rest platform:platform (cancel)', 'drain and stop 1000 bots', 'release', 'restart after release (1000/1000 bots)', 'checkers',
    ]);
    expect(r.steps.find((s: { name: string }) => s.name === 'checkers').steps.find((s: { name: string }) => s.name.startsWith('post-flip-effects')).status).toBe('failed');
    expect(Object.fromEntries(r.parameters.map((p: { name: string; value: string }) => [p.name, p.value]))).toEqual({ path: 'rest', scope: 'platform:platform', mode: 'cancel', seed: '7', target: 'simulated alphaswarm bugs=none runtime=process' });
    const labels = Object.fromEntries(r.labels.map((l: { name: string; value: string }) => [l.name, l.value]));
    expect([labels.incident, labels.severity, labels.owner]).toEqual(['drill', 'critical', 'risk-desk']);
    expect(r.attachments.map((a: { name: string }) => a.name)).toEqual(['history.jsonl', 'result.json', 'timeline.html']);
    for (const a of r.attachments) expect(existsSync(join(resultsDir, a.source))).toBe(true);
  });
});

describe('no remote URL', () => {
  it('the scanner finds an analytics tag like the one Allure 3 embeds by default', () => {
    expect(findRemoteUrlsInText('<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>')).toHaveLength(1);
    expect(findRemoteUrlsInText('<link href="//fonts.example.com/a.css">')).toHaveLength(1);
    expect(findRemoteUrlsInText('<img src="http://127.0.0.1:8080/x.png">')).toHaveLength(0);
  });

  it('neither the timeline nor the Allure results nor the Allure report reference one', () => {
    expect(findRemoteUrls(join(fx.dir, 'timeline.html'))).toEqual([]);
    expect(findRemoteUrls(resultsDir)).toEqual([]);
    expect(walk(reportDir).some((f) => f.endsWith('index.html'))).toBe(true);
    expect(findRemoteUrls(reportDir)).toEqual([]);
    expect(readFileSync(join(reportDir, 'index.html'), 'utf8')).not.toMatch(/gtag|googletagmanager/);
  });

  it('the Allure report, served from 127.0.0.1, shows the run in Chromium without any other request', async () => {
    const server: Server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
      const file = join(reportDir, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(reportDir) || !existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      const type: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
      res.writeHead(200, { 'content-type': type[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const remote: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(`http://127.0.0.1:${port}/`) && !r.url().startsWith('data:')) remote.push(r.url());
      });
      await page.route('**/*', (route) => (route.request().url().startsWith(`http://127.0.0.1:${port}/`) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.goto(`http://127.0.0.1:${port}/index.html`, { waitUntil: 'networkidle' });
      await page.getByText('kill switch drills').first().waitFor({ timeout: 20_000 });
      await page.getByText('79a6f51c0ffee0000000000000000000000000ab').first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: resolve('out/reports-test/allure-report.png') });
      expect(remote).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((r) => server.close(r));
    }
  });
});
