// Seed 003's file-based kill switch: `EXECUTION_HALTED` written to the file every daemon watches
// (a ConfigMap-mounted `EXECUTION_HALTED_FILE` in Kubernetes). The simulated fleet hands its path out
// as an endpoint (`haltFile` in sim up's line), as a cluster hands out a ConfigMap; the lever writes
// `1` (engaged once the write is on disk), the release writes `0`. The file is one global key:
// platform scope only, in the fleet's default mode (cancel). Nothing else records the halt — the
// broker's status shows none (halt-state-durable has nothing to judge).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { nowMs } from '../../contracts/index.ts';
import type { KillPath, LeverEvent, LeverRequest } from './types.ts';
import type { TargetEndpoints } from '../runtime/index.ts';

function write(path: string, value: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.killdrill-${process.pid}.tmp`;
  writeFileSync(tmp, `${value}\n`);
  renameSync(tmp, path);
}

function act(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void, release: boolean): Promise<void> {
  const value = release ? '0' : '1';
  emit({ type: 'lever-issued', at: nowMs(), detail: { file: fleet.haltFile ?? null, value } });
  const fail = (error: string) => emit({ type: 'lever-failed', at: nowMs(), error });
  if (!fleet.haltFile) return Promise.resolve(fail('killdrill: the file path writes the EXECUTION_HALTED file the fleet mounts, and this target names none (a simulated fleet gives haltFile); use another path'));
  if (req.scope !== 'platform') return Promise.resolve(fail(`killdrill: the EXECUTION_HALTED file is one global switch; the file path pulls scope platform only, not '${req.scope}'`));
  if (req.mode !== 'cancel') return Promise.resolve(fail(`killdrill: the EXECUTION_HALTED file carries no mode (the fleet halts in its default, cancel); mode '${req.mode}' cannot be pulled with the file path`));
  try {
    write(fleet.haltFile, value);
  } catch (err) {
    return Promise.resolve(fail(`killdrill: could not write ${fleet.haltFile}: ${err instanceof Error ? err.message : String(err)}`));
  }
  const at = nowMs();
  emit({ type: 'lever-ack', at, ok: true, detail: { file: fleet.haltFile, value } });
  emit({ type: 'lever-engaged', at, detail: { file: fleet.haltFile } });
  return Promise.resolve();
}

export const filePath: KillPath = {
  name: 'file',
  engage: (fleet, req, emit) => act(fleet, req, emit, false),
  release: (fleet, req, emit) => act(fleet, req, emit, true),
};
