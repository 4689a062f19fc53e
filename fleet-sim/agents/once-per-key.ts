// A planned write goes out once per idempotency key from this worker: a key the worker saw land is
// not sent again (the caller gets "landed"), and a second dispatch of a key whose first is still
// waiting for the gateway's reply waits for that reply instead of sending its own. More than one of
// the worker's paths can hold one key (a resumed step's re-entry, a `retry` job of its slot), and
// CI once saw a planned write journaled again after it landed (agents-scopes, capability case,
// seed 1: journal-consistent). That interleaving was not reproduced here (11 runs beside two busy
// loops); this closes the window it needs unless a reply never came at all. A reply that never
// came (`sent`, no answer within the client's 5 s) leaves the key open to a later dispatch.

export class OncePerKey {
  private readonly inflight = new Map<string, Promise<boolean>>();

  private readonly landed: ReadonlySet<string>;

  constructor(landed: ReadonlySet<string>) {
    this.landed = landed;
  }

  /**
   * `send` dispatches the key and resolves true when it landed (recording it in `landed`).
   * `ignoreLanded`: send even if the key landed (bug resume-reruns-effect).
   */
  dispatch(key: string, send: () => Promise<boolean>, ignoreLanded = false): Promise<boolean> {
    if (!ignoreLanded && this.landed.has(key)) return Promise.resolve(true);
    const open = this.inflight.get(key);
    if (open) return open;
    const p = send().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Keys dispatched and not yet answered. */
  get pending(): number {
    return this.inflight.size;
  }
}
