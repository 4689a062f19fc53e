// Test support (not product code): `killdrill run`'s main with stand-ins for the runtime and the
// case runner, counting the cases it would run and collecting what it says on stderr — for tests of
// what `run` refuses before anything starts.
import { runMain, type RunDeps } from './run-command.ts';
import { silentProgress } from '../runner/progress.ts';

export async function runMainStub(argv: string[]): Promise<{ code: number; err: string[]; ran: number }> {
  const err: string[] = [];
  let ran = 0;
  const deps: RunDeps = {
    io: { out: () => {}, err: (l) => err.push(l) },
    runtimeByName: (name) => ({ name, start: () => Promise.reject(new Error('not used')) }),
    runCase: async () => (ran++, { outcome: 'passed', invalidInput: false, reasons: [], replay: 'r', runDir: 'out/runs/x', result: {} as never }),
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
  };
  return { code: await runMain(argv, deps), err, ran };
}
