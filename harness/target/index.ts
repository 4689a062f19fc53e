// What is drilled (DESIGN.md §3 "Target"): the target file's schema and loader, and what `run --target` refuses before anything starts.
export { TargetSchema, SimulatedTargetSchema, ExternalTargetSchema, type Target, type TargetInput, type SimulatedTarget, type ExternalTarget } from './schema.ts';
export { loadTargetFile, parseTargetText, parseTargetObject } from './load.ts';
export { TargetError, type TargetIssue } from './errors.ts';
export { targetJsonSchema } from './json-schema.ts';
export { looksLikeToken } from './field-rules.ts';
export { externalRuntime, externalEndpoints, TargetEnvError } from './external-runtime.ts';
export { safetyRefusals, externalRefusals, CONFIRM_ENVIRONMENTS, type CaseNeeds } from './drill-guard.ts';
