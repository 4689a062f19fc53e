// The operator's Kubernetes side: a KubeConfig from the fleet's kubeconfig, a restarting
// informer, and status writes (JSON merge patch on the status subresource).
import { CustomObjectsApi, KubeConfig, PatchStrategy, makeInformer, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { KUBE_GROUP as GROUP, KUBE_VERSION as VERSION } from '../../contracts/index.ts';

export { GROUP, VERSION };

export interface KObj extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export interface Informed {
  /** The first start's list: resolved when it is in, or when it failed (the informer then retries on its own). */
  started: Promise<void>;
  list(): readonly KObj[];
  stop(): Promise<void>;
}

/** Informer over every namespace's `plural`; restarts 1 s after an error (apiserver down). */
export function inform(kc: KubeConfig, plural: string, on: { upsert(o: KObj): void; remove(o: KObj): void }, log: (m: string) => void): Informed {
  const api = kc.makeApiClient(CustomObjectsApi);
  const informer = makeInformer<KObj>(kc, `/apis/${GROUP}/${VERSION}/${plural}`, () => api.listClusterCustomObject({ group: GROUP, version: VERSION, plural }));
  let stopped = false;
  informer.on('add', on.upsert);
  informer.on('update', on.upsert);
  informer.on('delete', on.remove);
  informer.on('error', (err) => {
    if (stopped) return;
    log(`killdrill: operator: ${plural} watch failed (${(err as Error)?.message ?? err}); retrying in 1 s`);
    setTimeout(() => {
      if (!stopped) informer.start().catch(() => undefined);
    }, 1000);
  });
  const started = informer.start().catch(() => undefined);
  return {
    started,
    list: () => informer.list(),
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

export function patchStatus(api: CustomObjectsApi, plural: string, ns: string, name: string, status: Record<string, unknown>): Promise<unknown> {
  return api.patchNamespacedCustomObjectStatus(
    { group: GROUP, version: VERSION, namespace: ns, plural, name, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

export function statusCode(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number };
  return e?.code ?? e?.statusCode;
}
