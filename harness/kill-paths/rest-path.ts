// The REST fan-out (seed 000): platform scope = the six halt endpoints in
// parallel; any other scope = the broker's generic engage API.
import { nowMs, HALT_ENDPOINTS } from '../../contracts/index.ts';
import { describeError, postJson, type HttpResponse } from '../../lib/http.ts';
import { brokerOf, type KillPath, type LeverRequest, type LeverEvent } from './types.ts';

const queueOf = (req: LeverRequest) => (req.queue ? { queue: req.queue } : {});

function calls(req: LeverRequest): Array<{ path: string; body: unknown; release: { scope: string; target: string } }> {
  if (req.scope === 'platform') {
    return Object.entries(HALT_ENDPOINTS).map(([path, group]) => ({
      path,
      body: { mode: req.mode, reason: req.reason, ...queueOf(req) },
      release: { scope: 'group', target: group },
    }));
  }
  return [{ path: '/killswitch', body: { scope: req.scope, target: req.target, mode: req.mode, reason: req.reason, ...queueOf(req) }, release: { scope: req.scope, target: req.target } }];
}

async function fanOut(
  brokerUrl: string,
  token: string,
  requests: Array<{ path: string; body: unknown }>,
  emit: (e: LeverEvent) => void,
): Promise<void> {
  emit({ type: 'lever-issued', at: nowMs(), detail: { endpoints: requests.map((r) => r.path) } });
  const results = await Promise.all(
    requests.map(async (r) => {
      try {
        const res: HttpResponse = await postJson(brokerUrl + r.path, token, r.body);
        return { path: r.path, status: res.status, body: res.body, ok: res.status >= 200 && res.status < 300 };
      } catch (err) {
        return { path: r.path, status: 0, body: describeError(err), ok: false };
      }
    }),
  );
  const at = nowMs();
  const ok = results.every((r) => r.ok);
  emit({ type: 'lever-ack', at, ok, detail: results });
  if (ok) emit({ type: 'lever-engaged', at });
  else emit({ type: 'lever-failed', at, error: results.filter((r) => !r.ok).map((r) => `${r.path}: ${r.status || ''} ${JSON.stringify(r.body)}`).join('; ') });
}

export const restPath: KillPath = {
  name: 'rest',
  engage(fleet, req, emit) {
    const b = brokerOf(fleet, 'rest');
    return fanOut(b.url, b.token, calls(req), emit);
  },
  release(fleet, req, emit) {
    const b = brokerOf(fleet, 'rest');
    return fanOut(
      b.url,
      b.releaseToken,
      calls(req).map((c) => ({ path: '/killswitch/release', body: c.release })),
      emit,
    );
  },
};
