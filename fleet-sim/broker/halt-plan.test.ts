// The halt plan per level on both presets (pure): which daemons, which host's supervisor.
import { describe, expect, it } from 'vitest';
import { alphaswarm, principal } from '../presets/index.ts';
import { planLevel } from './halt-plan.ts';

const base = { wrongHostStop: false, brokerInOwnStopList: false, alreadyStopped: new Set<string>() };
const names = (p: ReturnType<typeof planLevel>): string[] => p.stops.map((s) => `${s.host}/${s.daemon}>${s.sendTo}`).sort();

describe('planLevel', () => {
  it('principal: levels 1–4 as in seed 002', () => {
    const t = principal();
    expect(planLevel(t, 1, { ...base, asset: 'BTC-USD' })).toMatchObject({ keys: [{ scope: 'asset', target: 'BTC-USD', mode: 'flatten' }], stops: [], opensIncident: false });
    expect(names(planLevel(t, 2, base))).toEqual(['tesseract/foresight>tesseract', 'tesseract/hermes>tesseract', 'tesseract/leverage>tesseract', 'tesseract/shiva>tesseract']);
    const l3 = planLevel(t, 3, base);
    expect(l3.stops.map((s) => s.daemon).sort()).toEqual(['atlas', 'foresight', 'herald', 'hermes', 'leverage', 'oracle', 'scribe', 'shiva']);
    expect(l3.selfStop).toBeNull();
    const l4 = planLevel(t, 4, base);
    expect(l4.keys).toEqual([{ scope: 'platform', target: 'platform', mode: 'freeze' }]);
    expect(l4.stops.map((s) => s.daemon)).not.toContain('broker');
    expect(l4.stops.map((s) => s.daemon)).not.toContain('sentinel');
  });

  it('skips daemons an earlier level already stopped', () => {
    const t = principal();
    const done = new Set(['tesseract/foresight', 'tesseract/shiva', 'tesseract/hermes', 'tesseract/leverage']);
    expect(planLevel(t, 3, { ...base, alreadyStopped: done }).stops.map((s) => s.daemon).sort()).toEqual(['atlas', 'herald', 'oracle', 'scribe']);
  });

  it('wrong-host-stop routes every stop to the broker host; broker-in-own-stop-list adds the broker at level 3+', () => {
    const t = alphaswarm();
    const wrong = planLevel(t, 2, { ...base, wrongHostStop: true });
    expect(wrong.stops.length).toBeGreaterThan(0);
    expect(wrong.stops.every((s) => s.sendTo === 'control' && s.host !== 'control')).toBe(true);
    expect(planLevel(t, 2, { ...base, brokerInOwnStopList: true }).selfStop).toBeNull();
    expect(planLevel(t, 3, { ...base, brokerInOwnStopList: true }).selfStop).toEqual({ host: 'control', daemon: 'broker', sendTo: 'control' });
  });

  it('alphaswarm: level 2 stops the trading daemons on both nodes, level 3 the agent daemons too', () => {
    const t = alphaswarm();
    const l2 = planLevel(t, 2, base);
    expect(new Set(l2.stops.map((s) => s.host))).toEqual(new Set(['node-a', 'node-b']));
    const trading = t.hosts.flatMap((h) => h.daemons).filter((d) => d.tags.includes('trading')).map((d) => d.name).sort();
    expect(l2.stops.map((s) => s.daemon).sort()).toEqual(trading);
    const l3 = planLevel(t, 3, base);
    expect(l3.stops.length).toBe(t.hosts.flatMap((h) => h.daemons).filter((d) => d.kind === 'bots').length);
  });
});
