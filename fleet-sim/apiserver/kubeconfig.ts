// The kubeconfig `sim up` hands out: plain HTTP to 127.0.0.1, bearer token, one context
// whose default namespace is alphaswarm-bots (so the runbook's commands need no -n).
import { writeFileSync } from 'node:fs';
import { DEFAULT_NAMESPACE } from './resources.ts';

export function kubeconfigYaml(port: number, token: string, namespace = DEFAULT_NAMESPACE, host = '127.0.0.1'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: killdrill',
    '  cluster:',
    `    server: http://${host}:${port}`,
    // @kubernetes/client-node refuses http:// unless this is set; kubectl ignores it for http
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: killdrill',
    '  user:',
    `    token: ${JSON.stringify(token)}`,
    'contexts:',
    '- name: killdrill',
    '  context:',
    '    cluster: killdrill',
    '    user: killdrill',
    `    namespace: ${namespace}`,
    'current-context: killdrill',
    'preferences: {}',
    '',
  ].join('\n');
}

/** Write the kubeconfig for an apiserver on 127.0.0.1:port (mode 0600: it holds the token). */
export function writeKubeconfig(path: string, port: number, token: string, host = '127.0.0.1'): void {
  writeFileSync(path, kubeconfigYaml(port, token, DEFAULT_NAMESPACE, host), { mode: 0o600 });
}
