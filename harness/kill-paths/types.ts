// A kill path is one lever: how the harness engages and releases the kill switch.
import type { TargetEndpoints } from '../runtime/index.ts';

export interface LeverRequest {
  scope: string;
  target: string;
  mode: 'cancel' | 'flatten' | 'freeze';
  level?: number;
  asset?: string;
  reason: string;
  /** An agent fleet's queue policy (kill.queue), written into the kill value; absent: the fleet's default (discard). */
  queue?: 'discard' | 'drain';
  /** The run that pulls the lever (run-marks.ts): a KillSwitch is named and labelled by it. */
  runId?: string;
}

/** One lever event, as the path saw it; the runner turns these into history ops. */
export type LeverEvent =
  | { type: 'lever-issued'; at: number; detail?: unknown }
  | { type: 'lever-ack'; at: number; ok: boolean; detail: unknown }
  | { type: 'lever-engaged'; at: number; detail?: unknown }
  | { type: 'lever-failed'; at: number; error: string };

export interface KillPath {
  name: 'rest' | 'redis' | 'broker-level' | 'crd' | 'sigterm' | 'file';
  engage(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void): Promise<void>;
  release(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void): Promise<void>;
}

/** The broker a REST lever calls: its URL and both roles' tokens (an external target without a release token uses the operator's). */
export function brokerOf(fleet: TargetEndpoints, path: string): { url: string; token: string; releaseToken: string } {
  if (!fleet.brokerUrl || fleet.token === undefined) throw new Error(`killdrill: the ${path} path calls the broker, and this target names no broker (url, tokenEnv)`);
  return { url: fleet.brokerUrl, token: fleet.token, releaseToken: fleet.releaseToken ?? fleet.token };
}
