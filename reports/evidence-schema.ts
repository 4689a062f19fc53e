// The drill evidence documents (one run; several runs merged), as zod schemas. Their JSON Schemas
// are reports/evidence.schema.json and reports/drill-evidence.schema.json (npm: reports/write-schemas.ts).
import { z } from 'zod';

const ms = z.number().nullable().describe('milliseconds');
const at = z.object({ epochMs: z.number(), iso: z.string() }).nullable();
const percentiles = z.object({ p50: ms, p99: ms, max: ms }).strict();
const signOff = z
  .object({ runBy: z.string(), reviewedBy: z.string(), approvedBy: z.string() })
  .strict()
  .describe('Filled in by people when the evidence is filed; reports write them empty.');

export const targetEvidence = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('simulated'),
        preset: z.string(),
        bots: z.number().nullable().describe("the scenario's fleet.bots; null: the preset's own count"),
        bugs: z.array(z.string()).describe('catalog bugs switched on (sorted); a fleet with bugs is a different target'),
        overrides: z.record(z.string(), z.unknown()),
        runtime: z.string(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('external'),
        name: z.string().describe("the target file's name"),
        environment: z.string().describe("the target file's environment, e.g. staging"),
      })
      .strict(),
  ])
  .describe('What was drilled. `simulated`: the fleet-sim fleet killdrill started; `external`: a system killdrill did not start (`run --target`, docs/targets.md), by its name and environment.');

const proves = z
  .enum(['kill-switch', 'bug-detected', 'nothing'])
  .describe('kill-switch: a case without detects whose every checker passed; bug-detected: an incident reproduction that failed exactly its detects (it proves the harness sees the bug, not that a kill switch works); nothing: failed, errored, or not proven');

export const effectEvidence = z
  .object({ seq: z.number(), key: z.string(), bot: z.string(), kind: z.string(), dispatchedAt: z.number(), receivedAt: z.number(), afterEngagedMs: z.number() })
  .strict();

export const preflightEvidence = z
  .object({
    ok: z.boolean().describe('false: the case pulled no lever and injected no fault (errored)'),
    tookMs: ms,
    problems: z.array(z.string()).describe('why preflight refused, one killdrill: line each'),
    clock: z
      .object({ offsetMs: z.number(), rttMs: z.number(), boundMs: z.number(), samples: z.number() })
      .strict()
      .nullable()
      .describe("the target's Redis clock against the harness's: offset from the fastest TIME round trip, ± rttMs/2; boundMs = |offset| + rtt/2; null: not measured"),
    maxClockOffsetMs: z.number().nullable().describe('--max-clock-offset the bound was held to'),
    endpoints: z.array(z.object({ endpoint: z.string(), url: z.string(), ok: z.boolean(), status: z.number().nullable(), ms: z.number() }).strict()),
    cleared: z
      .array(z.object({ runId: z.string(), what: z.string(), how: z.string(), ok: z.boolean() }).strict())
      .describe("what a dead killdrill run had left on the target (its levers by run id, its faults by its record) and preflight cleared"),
  })
  .strict()
  .nullable()
  .describe('preflight before the lever (docs/safety.md); null: the history records none (the case ended before it)');

export const runEvidenceSchema = z
  .object({
    schema: z.literal('killdrill/evidence@1'),
    drillId: z.string().describe('the run id (one run); the drill id when merged'),
    runId: z.string(),
    date: z.string().describe('ISO 8601 start of the run'),
    environment: z.object({ hostname: z.string(), node: z.string(), platform: z.string() }).strict().nullable(),
    gitRevision: z.string().nullable(),
    scenario: z
      .object({ name: z.string(), file: z.string(), caseId: z.string(), matrixValues: z.record(z.string(), z.unknown()), incident: z.string().nullable() })
      .strict(),
    seed: z.number().nullable(),
    target: targetEvidence.nullable().describe('null: the history does not say what was drilled'),
    detects: z.array(z.string()).nullable().describe('an incident reproduction: the checkers it must fail; null: a drill'),
    proves,
    lever: z
      .object({ path: z.string(), scope: z.string(), target: z.string(), mode: z.string(), level: z.number().nullable(), issuedAt: at, engagedAt: at, releaseIssuedAt: at, releasedAt: at })
      .strict(),
    outcome: z.enum(['passed', 'failed', 'errored', 'interrupted']),
    reason: z.string().nullable(),
    replay: z.string().nullable(),
    bots: z.object({ total: z.number(), inScope: z.number() }).strict(),
    timings: z
      .object({
        timeToDrainingMs: percentiles,
        timeToStopMs: percentiles,
        perBot: z.array(
          z
            .object({ slug: z.string(), host: z.string(), daemon: z.string(), fleet: z.string(), class: z.string(), inScope: z.boolean(), timeToDrainingMs: ms, timeToStopMs: ms, restartMs: ms })
            .strict(),
        ),
      })
      .strict(),
    postFlipEffects: z
      .object({
        count: z.number().nullable().describe("the post-flip-effects checker's count; null when it gave none (unknown before counting)"),
        mode: z.string().nullable().describe('the mode the checker judged by (a halt level implies its own)'),
        window: z.object({ from: at, to: at }).strict().nullable().describe("the checker's window: engagedAt to the release issued (null: open to the end)"),
        listed: z.array(effectEvidence).describe('the violations the checker listed (its ledger seqs), in dispatch order'),
        inFlightAtEngaged: z.number().nullable(),
        propagationTail: z.number().nullable(),
      })
      .strict(),
    journal: z
      .object({
        intents: z.number(),
        ledgerEffects: z.number(),
        notLandedCount: z.number(),
        notLanded: z.array(z.object({ bot: z.string(), key: z.string(), outcome: z.string().nullable() }).strict()),
        landedWithoutIntentCount: z.number(),
        landedWithoutIntent: z.array(z.object({ seq: z.number(), key: z.string(), bot: z.string() }).strict()),
        landedTwice: z.array(z.object({ key: z.string(), times: z.number() }).strict()),
      })
      .strict()
      .nullable()
      .describe("the journal-consistent checker's diff (its lists are capped; the counts are whole); null when it gave none"),
    load: z
      .object({
        tool: z.literal('k6'),
        script: z.string(),
        profile: z.record(z.string(), z.unknown()).describe("the rate profile k6 ran (constant or ramping; a '2x-peak' rate as the constant it became)"),
        fromPeak: z.object({ factor: z.number(), peak: z.object({ brokerRequestsPerS: z.number(), measured: z.string() }).strict() }).strict().nullable().describe("a '2x-peak' rate: the factor and the target's declared, measured peak it multiplied; null for a literal rate"),
        requestsPerS: z.number().nullable().describe("load-held's mean requests/s from 5 s before the flip until every in-scope bot Stopped (null: load-held gave none)"),
        errorsPerS: z.number().nullable(),
        botEffectsPerS: z.number().nullable().describe("the bots' own effect rate over the same window"),
        held: z.union([z.boolean(), z.literal('unknown')]).nullable().describe("load-held's verdict: unknown is 'not drilled under load'; null when it gave none"),
      })
      .strict()
      .nullable()
      .describe('external load on the control plane (load.k6, docs/load.md); null: the case ran without it'),
    figuresFrom: z.enum(['result', 'history']).describe('result: every figure is the run\'s checkers\' (result.json); history: the run crashed before result.json and the reports ran the same checkers over the history it left'),
    verdicts: z.array(z.object({ checker: z.string(), valid: z.union([z.boolean(), z.literal('unknown')]), reason: z.string() }).strict()),
    faults: z
      .array(z.object({ id: z.string(), kind: z.string(), params: z.record(z.string(), z.unknown()), injectedAt: at, healedAt: at, healed: z.boolean() }).strict()),
    preflight: preflightEvidence,
    signOff,
  })
  .strict();

export const drillEvidenceSchema = z
  .object({
    schema: z.literal('killdrill/drill-evidence@1'),
    drillId: z.string(),
    date: z.string(),
    section: z.literal('kill_switch_drills'),
    gitRevisions: z.array(z.string()),
    outcome: z.enum(['passed', 'failed']).describe('failed when any path failed: a P1 incident (seed 000)'),
    target: targetEvidence.nullable().describe('the one target every run drilled (runs of different targets are never merged); null when a run does not say'),
    killSwitchProven: z.boolean().describe('true only when every run is a case without detects that passed every checker, on one known target'),
    proof: z.string().describe('why the kill switch is, or is not, proven'),
    summary: z.array(
      z
        .object({ runId: z.string(), path: z.string(), scope: z.string(), mode: z.string(), outcome: z.string(), detects: z.array(z.string()).nullable(), proves, timeToDrainingMaxMs: ms, timeToStopP99Ms: ms, timeToStopMaxMs: ms, postFlipEffects: z.number().nullable(), loadRequestsPerS: z.number().nullable().describe('the k6 load held around the lever (null: none)'), replay: z.string().nullable() })
        .strict(),
    ),
    findings: z
      .array(z.object({ severity: z.literal('P1'), runId: z.string(), path: z.string(), outcome: z.string(), what: z.string() }).strict())
      .describe('every path that did not pass (a run without detects that failed or errored; an interrupted one was stopped, not failed): a P1 incident, to be fixed before the drill window closes (seed 000)'),
    runs: z.array(runEvidenceSchema),
    signOff,
  })
  .strict();

export type RunEvidence = z.infer<typeof runEvidenceSchema>;
export type DrillEvidence = z.infer<typeof drillEvidenceSchema>;

export function evidenceJsonSchemas(): { run: unknown; drill: unknown } {
  const meta = (id: string, title: string) => ({ $id: `urn:killdrill:schema:${id}`, title });
  return {
    run: { ...meta('evidence.schema.json', 'killdrill run evidence'), ...z.toJSONSchema(runEvidenceSchema) },
    drill: { ...meta('drill-evidence.schema.json', 'killdrill drill evidence (kill_switch_drills)'), ...z.toJSONSchema(drillEvidenceSchema) },
  };
}
