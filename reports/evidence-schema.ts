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

export const effectEvidence = z
  .object({ seq: z.number(), key: z.string(), bot: z.string(), kind: z.string(), dispatchedAt: z.number(), receivedAt: z.number(), afterEngagedMs: z.number() })
  .strict();

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
        count: z.number().nullable().describe("the post-flip-effects checker's count (result.json); null when the run has no result"),
        listed: z.array(effectEvidence).describe('every post-flip effect, by the same definition as the checker'),
        inFlightAtEngaged: z.number(),
        propagationTail: z.number(),
      })
      .strict(),
    journal: z
      .object({
        intended: z.number(),
        landed: z.number(),
        ledgerEffects: z.number(),
        notLanded: z.array(z.object({ bot: z.string(), key: z.string(), kind: z.string(), outcome: z.string().nullable() }).strict()),
        landedWithoutIntent: z.array(z.object({ seq: z.number(), key: z.string(), bot: z.string() }).strict()),
        landedTwice: z.array(z.string()),
      })
      .strict(),
    verdicts: z.array(z.object({ checker: z.string(), valid: z.union([z.boolean(), z.literal('unknown')]), reason: z.string() }).strict()),
    faults: z
      .array(z.object({ id: z.string(), kind: z.string(), params: z.record(z.string(), z.unknown()), injectedAt: at, healedAt: at, healed: z.boolean() }).strict()),
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
    summary: z.array(
      z
        .object({ runId: z.string(), path: z.string(), scope: z.string(), mode: z.string(), outcome: z.string(), timeToDrainingMaxMs: ms, timeToStopP99Ms: ms, timeToStopMaxMs: ms, postFlipEffects: z.number().nullable(), replay: z.string().nullable() })
        .strict(),
    ),
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
