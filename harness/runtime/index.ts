export * from './types.ts';
export { processRuntime, startSimUp } from './process-runtime.ts';
export { dockerRuntime } from './docker-runtime.ts';
export { readsOf, publicEndpoints, secretsOf, withoutPassword } from './reads.ts';
import { processRuntime } from './process-runtime.ts';
import { dockerRuntime } from './docker-runtime.ts';
import type { Runtime } from './types.ts';

export function runtimeByName(name: string): Runtime {
  if (name === 'process') return processRuntime;
  if (name === 'docker') return dockerRuntime;
  throw new Error(`killdrill: unknown runtime '${name}'; use 'process' or 'docker'`);
}
