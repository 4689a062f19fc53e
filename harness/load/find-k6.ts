// Where k6 is: the first executable `k6` on the PATH. A scenario with load.k6 and no k6 is errored
// (exit 3) with how to install it; it is never skipped.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findK6(path: string | undefined = process.env.PATH): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const f = join(dir, 'k6');
    try {
      if (!statSync(f).isFile()) continue;
      accessSync(f, constants.X_OK);
      return f;
    } catch {
      // not here
    }
  }
  return null;
}

export const NO_K6 =
  'killdrill: this scenario drives load with k6 (load.k6) and no k6 is on the PATH; install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/: ' +
  'apt, brew, or the release binary), or on a machine without downloads put the k6 built from source in ../shared/bin on the PATH (export PATH="$PWD/../shared/bin:$PATH"); see docs/load.md';
