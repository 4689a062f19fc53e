// `killdrill run` of a drill (a sequence scenario) as a user types it, and what it wrote: the legs'
// run dirs in the order they ran, their histories, and the drill's merged evidence and timeline.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './sim-up-child.ts';
import { drillEvidenceSchema } from '../../reports/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export type Op = Record<string, unknown> & { type: string };

export async function runDrill(args: string[], dirs: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'kd-drill-'));
  dirs.push(out);
  const child = spawn(process.execPath, [CLI, 'run', ...args, '--out', out], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { code, stdout, stderr, out };
}

/** The legs' run dirs in the order they ran (the PASS/FAIL lines), their histories, and the drill's evidence. */
export function readDrill(r: { stdout: string; out: string }) {
  const legDirs = [...r.stdout.matchAll(/^(?:PASS|FAIL|ERROR) \S+ \[(\S+)\] [\d.]+ s {2}(\S+)$/gm)].map((m) => ({ id: m[1], dir: m[2] }));
  const histories = legDirs.map((l) => readFileSync(join(l.dir, 'history.jsonl'), 'utf8').trim().split('\n').map((x) => JSON.parse(x) as Op));
  const drill = /^DRILL .* evidence \(kill_switch_drills\) (\S+), timeline (\S+)$/m.exec(r.stdout);
  const doc = drill ? drillEvidenceSchema.parse(JSON.parse(readFileSync(drill[1], 'utf8'))) : null;
  return { legDirs, histories, doc, timeline: drill?.[2] ?? null };
}

