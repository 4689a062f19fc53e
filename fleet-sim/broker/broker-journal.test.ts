// GET /journal?after=<cursor>: the daemons' journals over the wire, against the real broker process.
// Paging with a limit, a torn last line held back until complete, a file appearing later, bad
// cursors → 400; and a fast-check property: whatever the writes (torn or not) and page sizes, the
// pages read in turn give every complete line of every file exactly once, in file order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, startTestFleet, type TestFleet } from './test-fleet.ts';
import { decodeCursor, encodeCursor, readJournalPage } from './journal-pages.ts';

const line = (o: Record<string, unknown>): string => `${JSON.stringify(o)}\n`;
const intent = (key: string, bot = 'b1') => ({ type: 'intent', key, bot, kind: 'order', at: 1 });

async function readAll(f: TestFleet, limit: number, from = ''): Promise<{ entries: Array<Record<string, unknown>>; next: string; pages: number }> {
  const entries: Array<Record<string, unknown>> = [];
  let cursor = from;
  for (let pages = 1; ; pages++) {
    const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { after: cursor } : {}) });
    const r = await api(f.url, 'GET', `/journal?${q}`, f.file.token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    entries.push(...r.body.entries);
    cursor = r.body.next;
    if (r.body.done) return { entries, next: cursor, pages };
    expect(pages).toBeLessThan(10_000);
  }
}

describe('broker GET /journal', () => {
  let f: TestFleet;
  let dir: string;
  beforeAll(async () => {
    f = await startTestFleet();
    dir = join(f.file.config.dataDir, 'journal');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('pages with a limit; holds back a torn last line; picks up a file that appears later', async () => {
    const empty = await api(f.url, 'GET', '/journal', f.file.token);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ entries: [], done: true });
    mkdirSync(dir, { recursive: true });
    const a = join(dir, 'knox.sentinel.jsonl');
    writeFileSync(a, [1, 2, 3, 4, 5].map((i) => line(intent(`a${i}`))).join('') + '{"type":"intent","key":"a6"');
    const first = await readAll(f, 2);
    expect(first.entries.map((e) => e.key)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(first.pages).toBe(3);
    // The torn line completes; a second daemon's file appears.
    appendFileSync(a, ',"bot":"b1","kind":"order","at":1}\n');
    writeFileSync(join(dir, 'tesseract.foresight.jsonl'), line(intent('t1', 'b2')));
    const more = await readAll(f, 1000, first.next);
    expect(more.entries.map((e) => e.key)).toEqual(['a6', 't1']);
    const none = await readAll(f, 1000, more.next);
    expect(none.entries).toEqual([]);
    // A complete line that is not JSON (torn by a SIGKILL, then appended to) is skipped and counted.
    appendFileSync(a, '{"type":"int{"type":"intent","key":"a7","bot":"b1","kind":"order","at":2}\n' + line(intent('a8')));
    const r = await api(f.url, 'GET', `/journal?after=${none.next}`, f.file.token);
    expect(r.body.entries.map((e: { key: string }) => e.key)).toEqual(['a8']);
    expect(r.body).toMatchObject({ skipped: 1, files: 2, done: true });
  });

  it('a bad cursor or parameter is a 400 with a killdrill error', async () => {
    const bad = [
      'after=%%%',
      'after=not*base64',
      `after=${Buffer.from('[1,2]').toString('base64url')}`,
      `after=${encodeCursor({ 'nope.x.jsonl': 0 })}`,
      `after=${Buffer.from(JSON.stringify({ '../etc.jsonl': 0 })).toString('base64url')}`,
      `after=${Buffer.from(JSON.stringify({ 'knox.sentinel.jsonl': -1 })).toString('base64url')}`,
      `after=${encodeCursor({ 'knox.sentinel.jsonl': 10 ** 12 })}`,
      `after=${encodeCursor({ 'knox.sentinel.jsonl': 3 })}`,
      'limit=0x10',
      'limit=999999',
      'page=2',
      'after=a&after=b',
    ];
    for (const q of bad) {
      const r = await api(f.url, 'GET', `/journal?${q}`, f.file.token);
      expect(r.status, q).toBe(400);
      expect(r.body.error, q).toMatch(/^killdrill: /);
    }
    expect((await api(f.url, 'GET', '/journal', null)).status).toBe(401);
  });

  it('fuzz: random cursors are answered 200 or 400 with a killdrill error, never more', async () => {
    const cursor = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/),
      fc.dictionary(fc.oneof(fc.constantFrom('knox.sentinel.jsonl', 'tesseract.foresight.jsonl'), fc.string({ maxLength: 20 })), fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), fc.string({ maxLength: 5 })), { maxKeys: 3 }).map((o) => Buffer.from(JSON.stringify(o)).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(cursor, async (c) => {
        const r = await api(f.url, 'GET', `/journal?after=${encodeURIComponent(c)}`, f.file.token);
        expect([200, 400], `${c} → ${r.status}`).toContain(r.status);
        if (r.status === 400) expect(r.body.error).toMatch(/^killdrill: /);
        else expect(Array.isArray(r.body.entries)).toBe(true);
      }),
      { numRuns: 80 },
    );
    expect(f.broker.alive()).toBe(true);
  });
});

describe('readJournalPage', () => {
  it('reads a complete line longer than a read chunk, skips one that is not JSON, holds back a long torn last line', () => {
    const d = mkdtempSync(join(tmpdir(), 'killdrill-jpages-'));
    try {
      const f = join(d, 'h.d.jsonl');
      writeFileSync(f, `${'x'.repeat(300 * 1024)}\n${line(intent('k1'))}{"type":"intent","key":"k2","pad":"${'y'.repeat(600 * 1024)}`);
      const p = readJournalPage(d, null, 100);
      expect(p.entries.map((e) => e.key)).toEqual(['k1']);
      expect(p).toMatchObject({ skipped: 1, done: true });
      appendFileSync(f, '"}\n');
      const q = readJournalPage(d, p.next, 100);
      expect(q.entries.map((e) => e.key)).toEqual(['k2']);
      expect(readJournalPage(d, q.next, 100).entries).toEqual([]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('readJournalPage (property)', () => {
  it('pages read in turn give every complete line exactly once, whatever the writes and page sizes', () => {
    // A write: to file i, n whole lines, then maybe a torn prefix of the next (completed by the next write to it).
    const write = fc.record({ file: fc.integer({ min: 0, max: 2 }), lines: fc.integer({ min: 0, max: 4 }), torn: fc.integer({ min: 0, max: 30 }) });
    const step = fc.oneof(write.map((w) => ({ w })), fc.integer({ min: 1, max: 5 }).map((limit) => ({ limit })));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const d = mkdtempSync(join(tmpdir(), 'killdrill-jpages-'));
        try {
          const pending = ['', '', '']; // the rest of each file's torn line
          const pendingKey = ['', '', ''];
          const written: string[][] = [[], [], []];
          let n = 0;
          let cursor = '';
          const got: string[][] = [[], [], []];
          const read = (limit: number) => {
            const p = readJournalPage(d, cursor || null, limit);
            expect(p.entries.length).toBeLessThanOrEqual(limit);
            for (const e of p.entries) got[Number(String(e.key).split('-')[0])].push(String(e.key));
            cursor = p.next;
            return p.done;
          };
          for (const s of steps) {
            if ('w' in s) {
              const { file, lines, torn } = s.w;
              let text = pending[file];
              if (text) written[file].push(pendingKey[file]);
              pending[file] = '';
              for (let i = 0; i < lines; i++) {
                const l = line(intent(`${file}-${n++}`));
                text += l;
                written[file].push(JSON.parse(l).key);
              }
              if (torn) {
                const l = line(intent(`${file}-${n++}`));
                const cut = Math.min(torn, l.length - 1);
                text += l.slice(0, cut);
                pending[file] = l.slice(cut);
                pendingKey[file] = `${file}-${n - 1}`;
              }
              appendFileSync(join(d, `h${file}.d.jsonl`), text);
            } else read(s.limit);
          }
          for (let i = 0; !read(3); i++) expect(i).toBeLessThan(1000);
          expect(got).toEqual(written);
          expect(Object.keys(decodeCursor(cursor)).length).toBe(written.filter((_, i) => steps.some((s) => 'w' in s && s.w.file === i)).length);
        } finally {
          rmSync(d, { recursive: true, force: true });
        }
      }),
      { numRuns: 200 },
    );
  });
});
