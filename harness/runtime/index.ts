export * from './types.ts';
export { processRuntime } from './process-runtime.ts';
import { processRuntime } from './process-runtime.ts';
import type { Runtime } from './types.ts';

export function runtimeByName(name: string): Runtime {
  if (name === 'process') return processRuntime;
  throw new Error(`killdrill: unknown runtime '${name}'; use 'process' (the docker runtime is not built yet)`);
}
