// Halt levels 1–4 of the Principal broker (seed 002). Level 4 sends the confirmation phrase.
import { nowMs, LEVEL4_CONFIRMATION } from '../../contracts/index.ts';
import { describeError, postJson } from '../../lib/http.ts';
import { brokerOf, type KillPath, type LeverEvent } from './types.ts';

async function call(url: string, token: string, body: unknown, emit: (e: LeverEvent) => void): Promise<void> {
  emit({ type: 'lever-issued', at: nowMs(), detail: body });
  try {
    const res = await postJson(url, token, body, 60_000);
    const at = nowMs();
    const ok = res.status >= 200 && res.status < 300;
    emit({ type: 'lever-ack', at, ok, detail: res.body });
    if (ok) emit({ type: 'lever-engaged', at, detail: res.body });
    else emit({ type: 'lever-failed', at, error: `killdrill: broker answered ${res.status}: ${JSON.stringify(res.body)}` });
  } catch (err) {
    emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: broker unreachable: ${describeError(err)}` });
  }
}

export const brokerLevelPath: KillPath = {
  name: 'broker-level',
  engage(fleet, req, emit) {
    const body: Record<string, unknown> = { level: req.level, reason: req.reason };
    if (req.asset) body.asset = req.asset;
    if (req.level === 4) body.confirm = LEVEL4_CONFIRMATION;
    const b = brokerOf(fleet, 'broker-level');
    return call(b.url + '/halt/level', b.token, body, emit);
  },
  release(fleet, _req, emit) {
    const b = brokerOf(fleet, 'broker-level');
    return call(b.url + '/halt/resume', b.releaseToken, {}, emit);
  },
};
