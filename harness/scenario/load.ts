// YAML → typed Scenario and its matrix cases. Every problem becomes a ScenarioError
// naming file, line, column and field; nothing else is ever thrown.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, fieldName, issueAt, parseYamlSource, readTextFile, zodIssues, type Locator } from '../yaml/index.ts';
import { ScenarioSchema, type Scenario } from './schema.ts';
import { ScenarioError, type ScenarioIssue } from './errors.ts';
import { expandMatrix, matrixKeyFor, withPath, type MatrixCase, type MatrixValue } from './matrix.ts';
import { resolveTarget } from './targets.ts';
import { checkFaultsAgainstPreset, type ComponentPlanner } from '../faults/index.ts';
import { resolveScript } from '../load/scripts.ts';

const SCHEMA_HINT = 'scenarios/schema.json';

export interface ScenarioCase {
  file: string;
  /** `default`, or the matrix values: `kill.scope=bot,kill.mode=cancel`. */
  id: string;
  values: Record<string, MatrixValue>;
  /** The scenario with this case's matrix values applied (and no matrix). */
  scenario: Scenario;
  /** The kill target this case uses (see targets.ts). */
  target: string;
  /** A `sequence:` scenario: its legs, run one after another on one fleet (harness/runner/run-sequence.ts). */
  legs?: LegCase[];
}

/** One leg of a sequence: a case of its own (its own verdicts, run dir, history), run on the sequence's fleet. */
export interface LegCase extends ScenarioCase {
  /** 1-based. */
  leg: number;
  /** Where the leg is written: `file:line:col` (for refusals found later, e.g. a path the target lacks). */
  at: string;
  /** The sequence case's id (the replay line selects the whole sequence). */
  sequenceId: string;
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  cases: ScenarioCase[];
}

/** What a loader may be given: the simulator's component plan, for the load-time fault check (static-check.ts). */
export interface LoadOptions {
  components?: ComponentPlanner;
}

export function loadScenarioFile(file: string, o: LoadOptions = {}): LoadedScenario {
  const r = readTextFile(file);
  if (!r.ok) throw new ScenarioError(r.issues);
  return parseScenarioText(r.text, file, o);
}

export function parseScenarioText(text: string, file: string, o: LoadOptions = {}): LoadedScenario {
  const src = parseYamlSource(text, file);
  if (!src.ok) throw new ScenarioError(src.issues);
  return parseScenarioObject(src.raw, file, src.where, o);
}

/** Validate an already-parsed object (no source positions: everything is at 1:1 unless a locator is given). */
export function parseScenarioObject(raw: unknown, file: string, where: Locator = () => ({ line: 1, col: 1 }), o: LoadOptions = {}): LoadedScenario {
  const at = issueAt(file, where);
  if (raw === null || raw === undefined) throw new ScenarioError([at([], 'the file is empty; a scenario needs at least name, description, fleet, load and kill')]);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ScenarioError([at([], 'a scenario is a YAML mapping (name: …, fleet: …, kill: …), not a list or a scalar')]);
  const base = ScenarioSchema.safeParse(raw);
  if (!base.success) throw new ScenarioError(zodIssues(base.error, at, SCHEMA_HINT));
  const scenario = base.data;

  let matrixCases: MatrixCase[];
  try {
    matrixCases = expandMatrix(scenario.matrix as Record<string, MatrixValue[]> | undefined);
  } catch (err) {
    throw new ScenarioError([at(['matrix'], describe(err))]);
  }
  const keys = Object.keys(scenario.matrix ?? {});
  const { matrix: _m, ...withoutMatrix } = raw as Record<string, unknown>;
  const issues: ScenarioIssue[] = [];
  const cases: ScenarioCase[] = [];
  for (const mc of matrixCases) {
    let obj: Record<string, unknown> = withoutMatrix;
    for (const [k, v] of Object.entries(mc.values)) obj = withPath(obj, k, v);
    const r = ScenarioSchema.safeParse(obj);
    if (!r.success) {
      issues.push(
        ...zodIssues(r.error, (p, m, k) => {
          const mk = matrixKeyFor(k === undefined ? p : [...p, k], keys);
          return mk ? at(['matrix', mk], `in matrix case '${mc.id}': ${m}`) : at(p, `in matrix case '${mc.id}': ${m}`, k);
        }, SCHEMA_HINT),
      );
      continue;
    }
    const s = r.data;
    // A fault aimed at a component, link or host this preset's fleet does not have: rejected now, not after the fleet started.
    const inCase = mc.id === 'default' ? '' : `in matrix case '${mc.id}': `;
    for (const [i, problem] of checkFaultsAgainstPreset(s.fleet, s.faults, o.components)) issues.push(at(['faults', i], `${inCase}fault '${s.faults[i].kind}' cannot be injected into this ${s.fleet.preset} fleet: ${problem}`));
    if (s.load.k6) {
      const script = resolveScript(s.load.k6.script, file);
      if ('error' in script) issues.push(at(['load', 'k6', 'script'], `${inCase}${script.error}`));
    }
    const target = resolveTarget({
      preset: s.fleet.preset,
      fileScope: scenario.kill.scope,
      scope: s.kill.scope,
      target: s.kill.target,
      targetFromMatrix: 'kill.target' in mc.values,
      targets: s.kill.targets,
    });
    if (!s.sequence) {
      cases.push({ file, id: mc.id, values: mc.values, scenario: s, target });
      continue;
    }
    const legs = sequenceLegs(obj, mc, s.sequence, file, where, at, o.components);
    if ('issues' in legs) issues.push(...legs.issues);
    else cases.push({ file, id: mc.id, values: mc.values, scenario: s, target, legs: legs.legs });
  }
  // `--case <id>` (and the replay line) must select one case: two cases with one id cannot be told apart.
  const twice = [...new Set(matrixCases.map((c) => c.id).filter((id, i, ids) => ids.indexOf(id) !== i))];
  if (twice.length) issues.push(at(['matrix'], `the matrix gives ${twice.length === 1 ? 'the case' : 'the cases'} ${twice.map((id) => `'${id}'`).join(', ')} more than once; drop the repeated value so --case can select each case alone`));
  if (issues.length) throw new ScenarioError(dedupe(issues));
  return { file, scenario, cases };
}

const LEG_FIELDS = ['path', 'scope', 'target', 'mode', 'level', 'asset'] as const;

/** The legs of a sequence case: kill: with each leg's fields, validated as a scenario of its own. */
function sequenceLegs(obj: Record<string, unknown>, mc: MatrixCase, legs: NonNullable<Scenario['sequence']>, file: string, where: Locator, at: ReturnType<typeof issueAt>, planner: ComponentPlanner | undefined): { legs: LegCase[] } | { issues: ScenarioIssue[] } {
  const { sequence: _s, ...base } = obj;
  const issues: ScenarioIssue[] = [];
  const out: LegCase[] = [];
  const fileScope = (base.kill as { scope: Scenario['kill']['scope'] }).scope;
  legs.forEach((l, i) => {
    let o: Record<string, unknown> = base;
    // A leg that changes the scope takes its scope's default target unless it names one.
    if (l.scope !== undefined && l.target === undefined) o = withPath(o, 'kill.target', undefined);
    for (const f of LEG_FIELDS) if (l[f] !== undefined) o = withPath(o, `kill.${f}`, l[f]);
    const inLeg = `in leg ${i + 1} (${l.path})${mc.id === 'default' ? '' : ` of matrix case '${mc.id}'`}: `;
    const r = ScenarioSchema.safeParse(o);
    if (!r.success) {
      issues.push(...zodIssues(r.error, (p, m) => at(['sequence', i], `${inLeg}${fieldName(p)}: ${m}`), SCHEMA_HINT));
      return;
    }
    const s = r.data;
    for (const [fi, problem] of checkFaultsAgainstPreset(s.fleet, s.faults, planner)) issues.push(at(['faults', fi], `${inLeg}fault '${s.faults[fi].kind}' cannot be injected into this ${s.fleet.preset} fleet: ${problem}`));
    const target = resolveTarget({ preset: s.fleet.preset, fileScope, scope: s.kill.scope, target: s.kill.target, targetFromMatrix: l.target !== undefined || 'kill.target' in mc.values, targets: s.kill.targets });
    const id = `${mc.id === 'default' ? '' : `${mc.id},`}leg=${i + 1},kill.path=${l.path}`;
    const place = where(['sequence', i]);
    out.push({ file, id, values: { ...mc.values, leg: String(i + 1), 'kill.path': l.path }, scenario: s, target, leg: i + 1, at: `${file}:${place.line}:${place.col}`, sequenceId: mc.id });
  });
  return issues.length ? { issues } : { legs: out };
}

function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line}:${i.col}:${i.field}:${i.message.replace(/^in matrix case '[^']*': /, '')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Scenario files named on the command line: files as given, directories searched for *.yaml / *.yml (sorted). */
export function listScenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) {
        const full = join(p, e);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(e)) out.push(full);
      }
    } else out.push(p);
  };
  for (const p of paths) {
    try {
      walk(p);
    } catch {
      out.push(p); // loadScenarioFile reports it with a clear message
    }
  }
  return out;
}
