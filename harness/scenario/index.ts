export { ScenarioSchema, FleetSchema, PeakSchema, RuntimeSchema, processOnlyProblems, type Scenario, type ScenarioInput, type FaultSpec, type KillSpec, type Expectations, type SequenceLeg } from './schema.ts';
export { loadScenarioFile, parseScenarioText, parseScenarioObject, listScenarioFiles, type LoadedScenario, type LoadOptions, type ScenarioCase, type LegCase } from './load.ts';
export { ScenarioError, formatIssue, type ScenarioIssue } from './errors.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { expandMatrix, caseId, type MatrixValue } from './matrix.ts';
export { MATRIX_KEYS } from './matrix-keys.ts';
export { DEFAULT_TARGETS, resolveTarget } from './targets.ts';
export { scenarioJsonSchema } from './json-schema.ts';
