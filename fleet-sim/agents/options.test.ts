// The worker's --options and a kill value's queue policy: bad input refused with the field named.
import { describe, expect, it } from 'vitest';
import { parseAgentOptions } from './options.ts';
import { queuePolicyOf } from './worker.ts';

describe('agent worker options', () => {
  it('takes overrides and refuses what it does not know', () => {
    expect(parseAgentOptions(undefined)).toEqual({});
    expect(parseAgentOptions('{"thinkMs":100,"toolWeights":{"get-quote":1}}')).toEqual({ thinkMs: 100, toolWeights: { 'get-quote': 1 } });
    expect(() => parseAgentOptions('{nope')).toThrow(/^killdrill: agent worker --options is not JSON/);
    expect(() => parseAgentOptions('[1]')).toThrow(/must be a JSON object/);
    expect(() => parseAgentOptions('{"thinkMS":1}')).toThrow(/option 'thinkMS' is unknown; known: thinkMs/);
    expect(() => parseAgentOptions('{"chunkMs":-1}')).toThrow(/'chunkMs' must be a non-negative number/);
    expect(() => parseAgentOptions('{"faultKinds":["db"]}')).toThrow(/'faultKinds' must be a list of 'llm' and 'tool'/);
    expect(() => parseAgentOptions('{"toolWeights":{"rm-rf":1}}')).toThrow(/unknown tool 'rm-rf'; the catalog has search-docs/);
  });
});

describe('queue policy of a kill value', () => {
  it('is drain only when the value says so; anything else discards', () => {
    expect(queuePolicyOf(JSON.stringify({ mode: 'freeze', reason: 'x', queue: 'drain' }))).toBe('drain');
    expect(queuePolicyOf(JSON.stringify({ mode: 'freeze', reason: 'x', queue: 'discard' }))).toBe('discard');
    expect(queuePolicyOf(JSON.stringify({ mode: 'freeze', reason: 'x' }))).toBe('discard');
    expect(queuePolicyOf('manual-emergency')).toBe('discard');
    expect(queuePolicyOf('{not json')).toBe('discard');
  });
});
