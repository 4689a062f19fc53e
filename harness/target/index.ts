// What is drilled (DESIGN.md §3 "Target"): the target file's schema and loader. `run --target` is not wired yet (docs/targets.md).
export { TargetSchema, SimulatedTargetSchema, ExternalTargetSchema, type Target, type TargetInput, type SimulatedTarget, type ExternalTarget } from './schema.ts';
export { loadTargetFile, parseTargetText, parseTargetObject } from './load.ts';
export { TargetError, type TargetIssue } from './errors.ts';
export { targetJsonSchema } from './json-schema.ts';
export { looksLikeToken } from './field-rules.ts';
