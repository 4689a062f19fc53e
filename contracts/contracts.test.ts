// The wire formats contracts/ pins (docs/contracts.md §2, §3, docs/crd.md), spelled out once here:
// a change to one of them changes the wire for every fleet and harness, so it must be deliberate.
import { describe, expect, it } from 'vitest';
import {
  BOT_CLASSES, DEFAULT_KEY_PREFIX, eventsChannel, killEventJson, HALT_ENDPOINTS, killKey, KILLSWITCH_KIND, KILLSWITCH_PLURAL, BOT_KIND, BOT_PLURAL,
  KUBE_GROUP_VERSION, KUBE_NAMESPACE, LEVEL4_CONFIRMATION, MODES, namespaceOf, PHASES, phaseHashKey, phaseStreamKey, SCOPES,
} from './index.ts';

describe('contracts', () => {
  it("seed 000's key scheme, events channel and phase stream", () => {
    expect(DEFAULT_KEY_PREFIX).toBe('alphaswarm:bots:killswitch');
    expect(killKey(DEFAULT_KEY_PREFIX, 'platform', 'platform')).toBe('alphaswarm:bots:killswitch:platform:platform');
    expect(eventsChannel(DEFAULT_KEY_PREFIX)).toBe('alphaswarm:bots:killswitch:events');
    expect(phaseStreamKey(DEFAULT_KEY_PREFIX)).toBe('alphaswarm:bots:phases');
    expect(phaseHashKey(DEFAULT_KEY_PREFIX)).toBe('alphaswarm:bots:phase');
  });

  it('the events channel message', () => {
    expect(killEventJson({ op: 'engage', key: 'p:bot:x', value: 'drill', at: 1.5 })).toBe('{"op":"engage","key":"p:bot:x","value":"drill","at":1.5}');
    expect(killEventJson({ op: 'release', key: 'p:bot:x', at: 2 })).toBe('{"op":"release","key":"p:bot:x","at":2}');
  });

  it('derives every name from a configured prefix, none from the default', () => {
    const p = 'acme:desk:halt';
    expect([killKey(p, 'bot', 'mm-1'), eventsChannel(p), phaseStreamKey(p), phaseHashKey(p)]).toEqual([
      'acme:desk:halt:bot:mm-1', 'acme:desk:halt:events', 'acme:desk:phases', 'acme:desk:phase',
    ]);
    expect(namespaceOf('solo')).toBe('solo');
  });

  it('the vocabularies', () => {
    expect(SCOPES).toEqual(['asset', 'bot', 'fleet', 'tenant', 'capability', 'run', 'platform', 'group']);
    expect(MODES).toEqual(['cancel', 'flatten', 'freeze']);
    expect(BOT_CLASSES).toEqual(['hft', 'standard', 'paper', 'agent']);
    expect(PHASES).toEqual(['Running', 'Draining', 'Stopped']);
    expect(Object.keys(HALT_ENDPOINTS)).toEqual(['/agents/halt', '/quant-agents/halt', '/paper/stop-all', '/bots/halt-all', '/rl/halt-all', '/workflows/halt']);
    expect(LEVEL4_CONFIRMATION).toBe('SHUTDOWN INVICTUS');
  });

  it('the KillSwitch and Bot resources', () => {
    expect([KUBE_GROUP_VERSION, KUBE_NAMESPACE]).toEqual(['quantbot.io/v1', 'alphaswarm-bots']);
    expect([KILLSWITCH_KIND, KILLSWITCH_PLURAL, BOT_KIND, BOT_PLURAL]).toEqual(['KillSwitch', 'killswitches', 'Bot', 'bots']);
  });
});
