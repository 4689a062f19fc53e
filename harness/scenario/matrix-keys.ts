// The scenario fields a matrix may vary (dotted paths into the scenario).
export const MATRIX_KEYS = [
  'kill.path',
  'kill.scope',
  'kill.target',
  'kill.mode',
  'kill.level',
  'kill.asset',
  'kill.queue',
  'kill.at',
  'release.after',
  'fleet.preset',
  'fleet.bots',
  'fleet.bugs',
  'fleet.overrides.pollIntervalS',
  'fleet.overrides.gatewayCheck',
  'fleet.overrides.defaultMode',
  'runtime',
] as const;
export type MatrixKey = (typeof MATRIX_KEYS)[number];
