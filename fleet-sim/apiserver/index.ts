// The apiserver's public surface: start it in-process, or write a kubeconfig for it.
export { startApiServer, type ApiServer, type ApiServerOptions } from './server.ts';
export { writeKubeconfig, kubeconfigYaml } from './kubeconfig.ts';
export { parseTtlS, KILL_SCOPES, KILL_MODES } from './validation.ts';
export { GROUP, VERSION, DEFAULT_NAMESPACE } from './resources.ts';
