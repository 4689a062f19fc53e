// FleetConfig.proxyUrl (an external Toxiproxy for `sim up`): loopback http with a port, else exit 2's message.
import { describe, expect, it } from 'vitest';
import { FleetConfigError, parseFleetConfig } from './config.ts';

describe('FleetConfig.proxyUrl', () => {
  it('is kept when it is a loopback http URL with a port', () => {
    expect(parseFleetConfig({ proxyUrl: 'http://127.0.0.1:8474' }).proxyUrl).toBe('http://127.0.0.1:8474');
  });
  it('is refused, naming the field and why, when it is not', () => {
    expect(() => parseFleetConfig({ proxyUrl: 'http://10.0.0.1:8474' })).toThrow(FleetConfigError);
    expect(() => parseFleetConfig({ proxyUrl: 'http://10.0.0.1:8474' })).toThrow(/proxyUrl: host '10.0.0.1' is not a loopback address/);
    expect(() => parseFleetConfig({ proxyUrl: 'https://localhost:8474' })).toThrow(/proxyUrl: scheme 'https' is not accepted/);
  });
});

describe('FleetConfig.preset agents', () => {
  it('is accepted with agent-* bugs and agent options; refuses the bot daemons\' bugs, and agent bugs or options on another preset, naming the field', () => {
    expect(parseFleetConfig({ preset: 'agents' }).preset).toBe('agents');
    expect(parseFleetConfig({ preset: 'agents', bugs: ['agent-discard-drains'], agents: { thinkMs: 100 } }).bugs).toEqual(['agent-discard-drains']);
    expect(() => parseFleetConfig({ preset: 'agents', bugs: ['fail-open'] })).toThrow(/bugs: the agents preset's workers do not plant fail-open/);
    expect(parseFleetConfig({ preset: 'agents', bugs: ['resume-reruns-effect'] }).bugs).toEqual(['resume-reruns-effect']);
    expect(() => parseFleetConfig({ preset: 'alphaswarm', bugs: ['revoke-in-memory'] })).toThrow(/bugs: revoke-in-memory are the agent workers' bugs; use preset agents/);
    expect(() => parseFleetConfig({ preset: 'alphaswarm', bugs: ['agent-awaits-inflight'] })).toThrow(/bugs: agent-awaits-inflight are the agent workers' bugs; use preset agents/);
    expect(() => parseFleetConfig({ preset: 'alphaswarm', agents: {} })).toThrow(/agents: agent options apply to preset agents only/);
  });
});
