// What a runtime hands the runner: the fleet's observable interface (docs/contracts.md §8).

export interface FleetEndpoints {
  runId: string;
  preset: string;
  redisUrl: string;
  brokerUrl: string;
  venueUrl: string;
  token: string;
  releaseToken: string;
  controlUrl: string;
  hosts: Record<string, string>;
  dataDir: string;
  kubeconfig?: string;
  /** The fault proxy's Toxiproxy API (docs/contracts.md §12). */
  proxyUrl?: string;
  /** `process` or `docker` (sim up --runtime). */
  runtime?: string;
  /** The docker runtime's per-run bridge network (absent with host networking or the process runtime). */
  network?: string;
}

export interface FleetRequest {
  preset: string;
  bots?: number;
  bugs?: string[];
  /** Further FleetConfig fields (pollIntervalS, gatewayCheck, defaultMode, classes). */
  overrides?: Record<string, unknown>;
  runId: string;
  /** Where the fleet keeps its data (sqlite, journals, ledger). */
  dataDir: string;
  /** Fleets started side by side (`run --jobs`) each take their own block `index` of `of` of the port range. */
  portBlock?: { index: number; of: number };
}

export interface FleetHandle {
  endpoints: FleetEndpoints;
  /** The fleet process exited on its own (crash): the reason, else null. */
  exited(): string | null;
  stop(): Promise<void>;
}

export interface Runtime {
  name: string;
  start(req: FleetRequest, signal?: AbortSignal): Promise<FleetHandle>;
}

/** The fleet or the infrastructure could not start or broke: exit code 3, outcome `errored`. */
export class InfraError extends Error {
  override name = 'InfraError';
}
