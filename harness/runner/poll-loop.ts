// Runs `tick` every `intervalMs` until stopped; errors go to `onError`, never thrown; `onOk` after each good tick.
export interface PollLoop {
  stop(): Promise<void>;
  /** Run one more tick now (e.g. a final drain before the history closes). */
  flush(): Promise<void>;
}

export function pollLoop(intervalMs: number, tick: () => Promise<void>, onError: (err: unknown) => void, onOk: () => void = () => {}): PollLoop {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const runOnce = () => {
    running = running.then(() => tick().then(onOk, onError));
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().then(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    flush: runOnce,
  };
}
