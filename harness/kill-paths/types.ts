// A kill path is one lever: how the harness engages and releases the kill switch.
import type { FleetEndpoints } from '../runtime/index.ts';

export interface LeverRequest {
  scope: string;
  target: string;
  mode: 'cancel' | 'flatten' | 'freeze';
  level?: number;
  asset?: string;
  reason: string;
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
  name: 'rest' | 'redis' | 'broker-level' | 'crd';
  engage(fleet: FleetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void): Promise<void>;
  release(fleet: FleetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void): Promise<void>;
}
