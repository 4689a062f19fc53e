// scripts/prerequisites.sh's logic, without root side effects: the script runs for real, on a PATH
// of its own where apt-get, apt-cache, id and the binaries it looks for are stubs of this test.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'prerequisites.sh');
const REAL = ['bash', 'dirname', 'awk', 'cat', 'env', 'printf'];

interface Machine {
  /** Binaries already installed (stubs that exit 0). */
  has?: string[];
  /** apt's candidates: package → version. */
  apt?: Record<string, string>;
  uid?: number;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function machine(m: Machine) {
  const dir = mkdtempSync(join(tmpdir(), 'kd-prereq-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const log = join(dir, 'apt-get.log');
  spawnSync('mkdir', [bin]);
  const which = (b: string) => spawnSync('bash', ['-c', `command -v ${b}`], { encoding: 'utf8' }).stdout.trim();
  for (const b of REAL) symlinkSync(which(b), join(bin, b));
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!${which('bash')}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // docker answers `docker info` (a daemon is up) and `docker version`.
  const docker = 'echo 27.0';
  for (const b of m.has ?? []) stub(b, b === 'docker' ? docker : 'exit 0');
  stub('id', `echo ${m.uid ?? 0}`);
  writeFileSync(join(dir, 'candidates'), Object.entries(m.apt ?? {}).map(([p, v]) => `${p} ${v}\n`).join(''));
  stub('apt-cache', `v=$(awk -v p="$2" '$1 == p { print $2 }' ${join(dir, 'candidates')})\necho "$2:"\necho "  Installed: (none)"\necho "  Candidate: \${v:-(none)}"`);
  // apt-get records its arguments; installing docker.io puts a docker that answers on PATH.
  stub('apt-get', `echo "$*" >> ${log}\nfor p in "$@"; do [ "$p" = docker.io ] && printf '#!%s\\n${docker}\\n' ${which('bash')} > ${bin}/docker && ${which('chmod')} +x ${bin}/docker && ${which('cp')} ${bin}/docker ${bin}/dockerd; done; exit 0`);
  const run = (env: Record<string, string> = {}) => {
    const r = spawnSync(join(bin, 'bash'), [SCRIPT], { encoding: 'utf8', env: { PATH: bin, ...env }, timeout: 30_000 });
    return { code: r.status, out: r.stdout, err: r.stderr, apt: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  };
  return { run };
}

const DEBIAN = { chromium: '120.0', 'chromium-browser': '', 'kubernetes-client': '1.20.5', 'docker.io': '20.10' };
const ALL = ['npm', 'redis-server', 'redis-cli', 'chromium', 'docker', 'dockerd', 'kubectl'];

describe('scripts/prerequisites.sh', () => {
  it('is valid bash', () => {
    expect(spawnSync('bash', ['-n', SCRIPT]).status).toBe(0);
  });

  it('DRY_RUN=1 on a fresh Debian: prints what it would install and run, calls no apt-get', () => {
    const r = machine({ apt: DEBIAN }).run({ DRY_RUN: '1' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('killdrill: would run: apt-get update');
    expect(r.out).toContain('killdrill: would install: npm redis-server redis-tools chromium docker.io kubernetes-client');
    expect(r.out).toContain('killdrill: would run: docker/ensure-docker.sh');
    expect(r.apt).toEqual([]);
  });

  it('on a fresh Debian: apt-get update, one install of what is missing, then the docker daemon check', () => {
    const r = machine({ apt: DEBIAN }).run();
    expect(r.code, r.err).toBe(0);
    expect(r.apt).toEqual(['update -qq', 'install -y -qq npm redis-server redis-tools chromium docker.io kubernetes-client']);
    expect(r.out).toContain('killdrill: docker daemon answers (27.0)');
  });

  it('installs only what is missing; an installed kubectl is kept (no kubernetes-client); Ubuntu gets chromium-browser', () => {
    const r = machine({ has: ['npm', 'redis-server', 'docker', 'dockerd', 'kubectl'], apt: { 'chromium-browser': '1:85', 'kubernetes-client': '1.20.5' } }).run();
    expect(r.code, r.err).toBe(0);
    expect(r.apt).toEqual(['update -qq', 'install -y -qq redis-tools chromium-browser']);
  });

  it('with everything present: nothing to install, no apt-get', () => {
    const r = machine({ has: ALL, apt: DEBIAN }).run();
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/prerequisites present: npm, redis-server, redis-cli, chromium, kubectl, docker/);
    expect(r.apt).toEqual([]);
    expect(machine({ has: ALL.filter((b) => !b.startsWith('docker')) }).run({ SKIP_DOCKER: '1' }).out).toContain('docker skipped (SKIP_DOCKER)');
  });

  it('fails before installing anything when kubectl is missing and apt has no kubernetes-client', () => {
    const r = machine({ has: ['npm', 'docker', 'dockerd'], apt: { chromium: '120.0' } }).run();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^killdrill: kubectl is missing and apt has no kubernetes-client package .*; install kubectl \(https:\/\/kubernetes.io\/docs\/tasks\/tools\/\) and run this again/);
    expect(r.apt).toEqual(['update -qq']);
    const dry = machine({ has: ['npm', 'docker', 'dockerd'], apt: { chromium: '120.0' } }).run({ DRY_RUN: '1' });
    expect(dry.out).toContain('would stop: kubectl is missing');
  });

  it('fails without root or sudo, naming what it needed to run', () => {
    const r = machine({ uid: 1000, apt: DEBIAN }).run();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^killdrill: need root \(or passwordless sudo\) to run: env DEBIAN_FRONTEND=noninteractive apt-get update/);
    expect(r.apt).toEqual([]);
  });
});
