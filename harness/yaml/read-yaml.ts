// Reading a YAML input file into a plain value and a locator for its fields, or the issues that
// stop it (unreadable file, YAML syntax, duplicate keys, alias bombs). Never throws.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Locator, SourceIssue } from './issues.ts';
import { locate } from './locate.ts';

export type YamlSource = { ok: true; raw: unknown; where: Locator } | { ok: false; issues: SourceIssue[] };

export function readTextFile(file: string): { ok: true; text: string } | { ok: false; issues: SourceIssue[] } {
  try {
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? describe(err);
    return { ok: false, issues: [{ file, line: 1, col: 1, field: '', message: `cannot read the file (${why}); check the path` }] };
  }
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lc = new LineCounter();
  const whole = (message: string): YamlSource => ({ ok: false, issues: [{ file, line: 1, col: 1, field: '', message }] });
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    return whole(`not readable as YAML: ${describe(err)}`);
  }
  if (doc.errors.length) {
    return {
      ok: false,
      issues: doc.errors.slice(0, 10).map((e) => {
        const pos = e.linePos?.[0] ?? lc.linePos(e.pos?.[0] ?? 0);
        return { file, line: pos.line, col: pos.col, field: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return whole(`not readable as YAML: ${describe(err)}`);
  }
  return { ok: true, raw, where: (path, key) => locate(doc, lc, path, key) };
}

export function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
