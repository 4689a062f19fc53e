// A client of a host supervisor's API (docs/contracts.md §4), for the orchestrator and the control API.
import type { DaemonDef } from './daemon-process.ts';
import { request } from '../../lib/http.ts';

export interface DaemonInfo {
  name: string;
  host: string;
  pid: number | null;
  state: 'running' | 'stopped' | 'exited';
  keepAlive: boolean | 'on-failure';
  starts: number;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
  tags: string[];
}

export class SupervisorClient {
  readonly url: string;
  private readonly token: string;

  constructor(url: string, token: string) {
    this.url = url;
    this.token = token;
  }

  private async call<T>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const { status, text } = await request(`${this.url}${path}`, { method, token: this.token, json: body, timeoutMs });
    if (status < 200 || status > 299) throw new Error(`killdrill: supervisor ${this.url} answered ${status} to ${method} ${path}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  daemons(): Promise<DaemonInfo[]> {
    return this.call('GET', '/daemons', undefined, 5000);
  }

  load(def: Omit<DaemonDef, 'args' | 'env' | 'tags'> & Partial<Pick<DaemonDef, 'args' | 'env' | 'tags'>>): Promise<DaemonInfo> {
    return this.call('POST', '/daemons', def);
  }

  action(name: string, action: 'stop' | 'start' | 'kill' | 'disable'): Promise<Record<string, unknown>> {
    return this.call('POST', `/daemons/${encodeURIComponent(name)}/${action}`, undefined, 60_000);
  }
}
