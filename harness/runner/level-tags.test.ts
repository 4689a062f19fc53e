// Halt levels 2+ scope bots by their daemon's tags: with no host to ask (an external target) each bot of
// the list must carry its own tags, or the case is refused (exit 2) before the lever.
import { describe, expect, it } from 'vitest';
import { levelNeedsTags } from './run-case.ts';

const bot = (slug: string, tags?: string[]) => ({ slug, host: 'h', daemon: 'd', ...(tags ? { tags } : {}) });

describe('levelNeedsTags', () => {
  it('refuses a level-2 kill when a bot has no tags and no host knows them', () => {
    expect(levelNeedsTags({ path: 'broker-level', level: 2 }, [bot('a', ['trading']), bot('b')], new Map())).toMatch(/halt level 2 scopes bots by their daemon's tags, and 1 bot\(s\) .* \(e\.g\. b\) carry no tags/);
  });
  it('passes when the bots carry tags, or the hosts gave them, or the lever needs none', () => {
    expect(levelNeedsTags({ path: 'broker-level', level: 3 }, [bot('a', [])], new Map())).toBeNull();
    expect(levelNeedsTags({ path: 'broker-level', level: 2 }, [bot('a')], new Map([['h/d', ['trading']]]))).toBeNull();
    expect(levelNeedsTags({ path: 'broker-level', level: 1 }, [bot('a')], new Map())).toBeNull();
    expect(levelNeedsTags({ path: 'rest' }, [bot('a')], new Map())).toBeNull();
  });
});
