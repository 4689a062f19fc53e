// The apiserver against the real @kubernetes/client-node: informers see every change in
// order, a watch from a compacted resourceVersion gets 410, status is separate from spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig, PatchStrategy, Watch, makeInformer, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { startApiServer, writeKubeconfig, type ApiServer } from './index.ts';

const G = { group: 'quantbot.io', version: 'v1', namespace: 'alphaswarm-bots', plural: 'killswitches' };
const ks = (name: string, target = 'mm-aapl') => ({ apiVersion: 'quantbot.io/v1', kind: 'KillSwitch', metadata: { name }, spec: { scope: 'bot', target, mode: 'cancel' } });

let server: ApiServer;
let kc: KubeConfig;
let api: CustomObjectsApi;

beforeAll(async () => {
  server = await startApiServer({ port: 0, token: 't0k', historyLimit: 20 });
  const dir = mkdtempSync(join(tmpdir(), 'killdrill-apiserver-'));
  writeKubeconfig(join(dir, 'kubeconfig'), server.port, 't0k');
  kc = new KubeConfig();
  kc.loadFromFile(join(dir, 'kubeconfig'));
  api = kc.makeApiClient(CustomObjectsApi);
});
afterAll(() => server.close());

describe('apiserver with @kubernetes/client-node', () => {
  it('an informer sees every change, in order', async () => {
    type O = KubernetesObject & { spec: { target: string } };
    const seen: string[] = [];
    const informer = makeInformer<O>(kc, '/apis/quantbot.io/v1/killswitches', () => api.listClusterCustomObject({ group: G.group, version: G.version, plural: G.plural }));
    informer.on('add', (o) => seen.push(`add ${o.metadata!.name} ${o.spec.target}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata!.name} ${o.spec.target}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata!.name}`));
    await informer.start();
    await api.createNamespacedCustomObject({ ...G, body: ks('inf-a') });
    await api.createNamespacedCustomObject({ ...G, body: ks('inf-b') });
    for (const t of ['x1', 'x2', 'x3'])
      await api.patchNamespacedCustomObject({ ...G, name: 'inf-a', body: { spec: { target: t } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await api.patchNamespacedCustomObject({ ...G, name: 'inf-b', body: [{ op: 'replace', path: '/spec/target', value: 'jp' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    await api.deleteNamespacedCustomObject({ ...G, name: 'inf-a' });
    const want = ['add inf-a mm-aapl', 'add inf-b mm-aapl', 'update inf-a x1', 'update inf-a x2', 'update inf-a x3', 'update inf-b jp', 'delete inf-a'];
    for (let i = 0; i < 100 && seen.length < want.length; i++) await new Promise((r) => setTimeout(r, 20));
    await informer.stop();
    expect(seen).toEqual(want);
    await api.deleteNamespacedCustomObject({ ...G, name: 'inf-b' });
  });

  it('a watch from a resourceVersion older than the kept history gets 410 Gone', async () => {
    const first = await api.createNamespacedCustomObject({ ...G, body: ks('old-rv') });
    const oldRv = first.metadata.resourceVersion as string;
    for (let i = 0; i < 25; i++)
      await api.patchNamespacedCustomObject({ ...G, name: 'old-rv', body: { spec: { target: `t${i}` } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const events: Array<{ type: string; code?: number; reason?: string }> = [];
    await new Promise<void>((resolve, reject) => {
      new Watch(kc)
        .watch(`/apis/quantbot.io/v1/namespaces/${G.namespace}/killswitches`, { resourceVersion: oldRv }, (type, obj) => events.push({ type, code: obj.code, reason: obj.reason }), (err) => (err ? reject(err) : resolve()))
        .catch(reject);
    });
    expect(events).toEqual([{ type: 'ERROR', code: 410, reason: 'Expired' }]);
    // a recent resourceVersion still replays what came after it
    const list = await api.listNamespacedCustomObject({ group: G.group, version: G.version, namespace: G.namespace, plural: G.plural });
    const rv = list.metadata.resourceVersion as string;
    await api.patchNamespacedCustomObject({ ...G, name: 'old-rv', body: { spec: { target: 'late' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const replay: string[] = [];
    const ctrl = await new Watch(kc).watch(`/apis/quantbot.io/v1/namespaces/${G.namespace}/killswitches`, { resourceVersion: rv }, (type, obj) => replay.push(`${type} ${obj.spec?.target}`), () => undefined);
    for (let i = 0; i < 100 && replay.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    ctrl.abort();
    expect(replay).toEqual(['MODIFIED late']);
  });

  it('status is a subresource: spec writes keep status, status writes keep spec', async () => {
    const created = await api.createNamespacedCustomObject({ ...G, body: { ...ks('sub'), status: { engaged: true } } });
    expect(created.status).toBeUndefined(); // status on create is ignored
    expect(created.metadata.generation).toBe(1);
    const st = await api.patchNamespacedCustomObjectStatus({ ...G, name: 'sub', body: { status: { engaged: true }, spec: { target: 'sneaky' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(st.status).toEqual({ engaged: true });
    expect(st.spec.target).toBe('mm-aapl');
    expect(st.metadata.generation).toBe(1);
    const upd = await api.replaceNamespacedCustomObject({ ...G, name: 'sub', body: { ...st, spec: { ...st.spec, target: 'mm-msft' }, status: { engaged: false } } });
    expect(upd.spec.target).toBe('mm-msft');
    expect(upd.status).toEqual({ engaged: true });
    expect(upd.metadata.generation).toBe(2);
    expect(Number(upd.metadata.resourceVersion)).toBeGreaterThan(Number(st.metadata.resourceVersion));
    // a stale resourceVersion is a 409 Conflict
    await expect(api.replaceNamespacedCustomObject({ ...G, name: 'sub', body: st })).rejects.toMatchObject({ code: 409 });
  });

  it('answers errors as Status objects and rejects a wrong token', async () => {
    await expect(api.getNamespacedCustomObject({ ...G, name: 'nope' })).rejects.toMatchObject({ code: 404, body: expect.stringContaining('killswitches.quantbot.io \\"nope\\" not found') });
    await expect(api.createNamespacedCustomObject({ ...G, body: { ...ks('bad'), spec: { scope: 'galaxy', target: 'x', mode: 'cancel' } } })).rejects.toMatchObject({ code: 422 });
    const res = await fetch(`${server.url}/apis/quantbot.io/v1/killswitches`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    const bad = await fetch(`${server.url}/apis/quantbot.io/v1/namespaces/x/killswitches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toBe('BadRequest');
  });
});
