// The JUnit XML of a literal list of cases: well-formed (parsed back), suites per file, one element per outcome,
// XML-special characters in reasons survive the round trip.
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitXml, xmlAttr, xmlText, type JunitCase } from './junit.ts';

const NASTY = 'post-flip-effects: 3 effects <after> "engaged" & \'stopped\' ]]> \x1b[31mred\x1b[0m \u{1F6D1}\ttab';

const cases: JunitCase[] = [
  { file: 'scenarios/paths/rest.yaml', scenario: 'rest-platform', caseId: 'default', outcome: 'passed', reasons: [], replay: 'npx killdrill run scenarios/paths/rest.yaml --seed 1', seconds: 41.25, runDir: 'out/runs/a' },
  {
    file: 'scenarios/paths/rest.yaml',
    scenario: 'rest-platform',
    caseId: 'kill.mode=cancel',
    outcome: 'failed',
    reasons: [NASTY, 'time-to-stop: bot mm-aapl stopped after 31 s > 30 s'],
    replay: "npx killdrill run scenarios/paths/rest.yaml --case 'kill.mode=cancel' --seed 7",
    startedAt: 1_000,
    endedAt: 13_500,
    runDir: 'out/runs/b',
  },
  { file: 'scenarios/incidents/x&y.yaml', scenario: 'x<y>', caseId: 'default', outcome: 'errored', reasons: ['killdrill: the fleet could not start: redis-server exited (code 1)'], replay: 'r', seconds: 2 },
  { file: 'scenarios/incidents/x&y.yaml', scenario: 'x<y>', caseId: 'a=1,b=2', outcome: 'interrupted', reasons: ['killdrill: interrupted (SIGINT)'], replay: 'r', seconds: 0.5 },
  { file: 'scenarios/incidents/x&y.yaml', scenario: 'x<y>', caseId: 'a=2,b=2', outcome: 'not-run', reasons: [] },
];

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), parseAttributeValue: false, trimValues: false, htmlEntities: true });

/** Well-formed: fast-xml-parser's validator, plus what it lets through (a bare & or < in an attribute, a bare &, characters XML 1.0 cannot carry). */
function wellFormed(xml: string): boolean {
  if (XMLValidator.validate(xml) !== true) return false;
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(xml)) return false;
  if ([...xml.matchAll(/="([^"]*)"/g)].some((m) => m[1].includes('<'))) return false;
  return !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml);
}

describe('junitXml', () => {
  const xml = junitXml(cases);
  const doc = parser.parse(xml);

  it('is well-formed XML', () => {
    expect(wellFormed(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
  });

  it('one testsuite per scenario file with its counts, and totals on testsuites; times in seconds', () => {
    const root = doc.testsuites;
    expect(root).toMatchObject({ name: 'killdrill', tests: '5', failures: '1', errors: '1', skipped: '2', time: '56.250' });
    expect(root.testsuite.map((s: Record<string, string>) => [s.name, s.tests, s.failures, s.errors, s.skipped, s.time])).toEqual([
      ['scenarios/paths/rest.yaml', '2', '1', '0', '0', '53.750'],
      ['scenarios/incidents/x&y.yaml', '3', '0', '1', '2', '2.500'],
    ]);
  });

  it('failure carries every reason and the replay line, special characters intact; error, skipped per outcome', () => {
    const [rest, inc] = doc.testsuites.testsuite;
    const [passed, failed] = rest.testcase;
    expect(passed).toMatchObject({ name: 'rest-platform', classname: 'rest-platform', time: '41.250' });
    expect(passed.failure).toBeUndefined();
    expect(failed.name).toBe('rest-platform [kill.mode=cancel]');
    expect(failed.time).toBe('12.500');
    const clean = NASTY.replace(/\x1b/g, '\uFFFD');
    expect(failed.failure.type).toBe('failed');
    expect(failed.failure.message).toBe(clean);
    expect(failed.failure['#text']).toBe(`${clean}\ntime-to-stop: bot mm-aapl stopped after 31 s > 30 s\nreplay: npx killdrill run scenarios/paths/rest.yaml --case 'kill.mode=cancel' --seed 7`);
    expect(failed['system-out']).toBe('run: out/runs/b');
    const [errored, interrupted, notRun] = inc.testcase;
    expect(errored.name).toBe('x<y>');
    expect(errored.error.message).toMatch(/^killdrill: the fleet could not start/);
    expect(interrupted.skipped.message).toBe('interrupted: killdrill: interrupted (SIGINT)');
    expect(notRun.skipped.message).toMatch(/^not run/);
    expect(notRun.time).toBe('0.000');
  });

  it('escaping: text and attributes; characters XML cannot carry become U+FFFD', () => {
    expect(xmlText('a<b>&c]]>')).toBe('a&lt;b&gt;&amp;c]]&gt;');
    expect(xmlAttr('"q" \'a\'\n\t<&>')).toBe('&quot;q&quot; &apos;a&apos;&#10;&#9;&lt;&amp;&gt;');
    expect(xmlText('\x00\x1b\uD800x')).toBe('\uFFFD\uFFFD\uFFFDx');
    // Without escaping the same document is not XML: the check can fail.
    expect(wellFormed(xml.replace('x&amp;y', 'x&y'))).toBe(false);
    expect(wellFormed(xml.replace('name="x&lt;y&gt;"', 'name="x<y>"'))).toBe(false);
    expect(wellFormed(xml.replace('&lt;after&gt;', '<after>'))).toBe(false);
    expect(wellFormed(xml.replace('\uFFFD', '\x1b'))).toBe(false);
    expect(wellFormed(`<a m="${'"'}">x</a>`)).toBe(false);
  });
});
