// The one redaction module: by key (anything secret-looking) and by value (the fleet's tokens), and
// no second copy of it anywhere in the harness or the reports.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED, redactDeep, redactText, secretKeyReplacer } from './redact.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const walk = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => walk(join(p, n))) : [p]);

describe('redact', () => {
  it('replaces every known secret inside any text, the longest first', () => {
    expect(redactText('a tok-12 b tok-1 c', ['tok-1', 'tok-12', ''])).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });

  it('a secret-looking key loses its whole value, at any depth; other values lose known secrets', () => {
    const v = { endpoints: { token: 'x', releaseToken: 'y', url: 'http://h/?t=s3cr3t' }, list: [{ Authorization: 'Bearer z' }], n: 1, token: null };
    expect(redactDeep(v, ['s3cr3t'])).toEqual({ endpoints: { token: REDACTED, releaseToken: REDACTED, url: `http://h/?t=${REDACTED}` }, list: [{ Authorization: REDACTED }], n: 1, token: null });
    expect(JSON.parse(JSON.stringify(v, secretKeyReplacer)).endpoints).toEqual({ token: REDACTED, releaseToken: REDACTED, url: 'http://h/?t=s3cr3t' });
  });

  it('is the only copy: no other module of the harness or the reports defines a secret pattern', () => {
    const files = [...walk(join(ROOT, 'harness')), ...walk(join(ROOT, 'reports'))].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('redact.ts'));
    const copies = files.filter((f) => /token\|password|\[redacted\]'/i.test(readFileSync(f, 'utf8')));
    expect(copies).toEqual([]);
  });
});
