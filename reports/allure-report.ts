// `npm run report`: builds the Allure HTML report offline (Allure 3, the `allure` package) from
// Allure results into out/allure-report, then checks that no generated file loads anything remote.
//
// Allure 3's default plugin (awesome) always embeds a Google Analytics tag; only its allure2-style
// plugin honours ALLURE_NO_ANALYTICS=true. So the report uses reports/allurerc.json (the allure2
// plugin) with ALLURE_NO_ANALYTICS=true, and the scan fails the command if a remote URL slips in.
//
// usage: node reports/allure-report.ts [resultsDir…] [--out DIR]   (default out/allure-results → out/allure-report)
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRemoteUrls } from './remote-urls.ts';

export interface AllureReportOptions {
  resultsDirs: string[];
  outDir: string;
}

export function buildAllureReport(o: AllureReportOptions): { outDir: string } {
  const cli = fileURLToPath(new URL('../node_modules/allure/cli.js', import.meta.url));
  const config = fileURLToPath(new URL('./allurerc.json', import.meta.url));
  if (!existsSync(cli)) throw new Error('killdrill: the allure package is not installed; run npm ci');
  for (const d of o.resultsDirs) if (!existsSync(d)) throw new Error(`killdrill: no Allure results at ${d}; run a scenario first (killdrill run …) or pass the results directory`);
  const outDir = resolve(o.outDir);
  rmSync(outDir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [cli, 'generate', ...o.resultsDirs.map((d) => resolve(d)), '--config', config, '--output', outDir], {
    env: { ...process.env, ALLURE_NO_ANALYTICS: 'true', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`killdrill: allure generate failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().slice(-2000)}`);
  const remote = findRemoteUrls(outDir);
  if (remote.length) {
    throw new Error(`killdrill: the Allure report would load ${remote.length} remote URL(s), e.g. ${remote[0].url} in ${remote[0].file}; it must work offline — check reports/allurerc.json and ALLURE_NO_ANALYTICS`);
  }
  return { outDir };
}

export function allureReportMain(args: string[]): number {
  const dirs: string[] = [];
  let out = 'out/allure-report';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i] ?? out;
    else if (args[i].startsWith('--')) {
      process.stderr.write(`killdrill: unknown option ${args[i]}; usage: npm run report -- [resultsDir…] [--out DIR]\n`);
      return 2;
    } else dirs.push(args[i]);
  }
  try {
    const { outDir } = buildAllureReport({ resultsDirs: dirs.length ? dirs : ['out/allure-results'], outDir: out });
    process.stdout.write(`Allure report: ${outDir}/index.html (offline, no remote URL)\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exitCode = allureReportMain(process.argv.slice(2));
