// THE target schema (DESIGN.md §3 "Target", issue 12 item 2): what is drilled. One zod schema;
// targets/schema.json is generated from it (`npm run target-schema`). Unknown fields are errors.
//   simulated — a fleet-sim fleet killdrill starts: the scenario's `fleet:` fields plus a runtime;
//   external  — a system killdrill did not start, reached only over its observable interface.
// Tokens are never in the file: only the NAMES of the environment variables that hold them.
import { z } from 'zod';
import { FleetSchema, PeakSchema, RuntimeSchema } from '../scenario/index.ts';
import { envNameProblem, urlProblem } from './field-rules.ts';

const name = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case: lower-case letters, digits and dashes');

/** The name of an environment variable that holds a secret (never the secret). */
const envName = z
  .string()
  .superRefine((v, ctx) => {
    const p = envNameProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  })
  .describe('The NAME of an environment variable holding the token (e.g. STAGING_BROKER_TOKEN), never the token itself.');

const url = (schemes: string[], what: string) =>
  z
    .string()
    .superRefine((v, ctx) => {
      const p = urlProblem(v, schemes);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    })
    .describe(`${what} (${schemes.map((s) => `${s}://`).join(' or ')}; no credentials in it)`);
const httpUrl = (what: string) => url(['http', 'https'], what);

const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes name: lower-case letters, digits and dashes, at most 63');

export const SimulatedTargetSchema = z.strictObject({
  $schema: z.string().optional().describe('Editor hint: path to targets/schema.json.'),
  kind: z.literal('simulated'),
  name: name.default('simulated').describe('Shown in reports and evidence.'),
  ...FleetSchema.shape,
  runtime: RuntimeSchema,
});

const redis = z.strictObject({
  url: url(['redis', 'rediss'], 'The flag store: where kill keys are set and the phase stream is read'),
  passwordEnv: envName.optional(),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)+$/, 'a colon-separated Redis key prefix such as alphaswarm:bots:killswitch')
    .optional()
    .describe('The kill-key prefix (default alphaswarm:bots:killswitch, docs/contracts.md §2).'),
});

const broker = z.strictObject({
  url: httpUrl('The REST control plane: halt endpoints, /killswitch, /status'),
  tokenEnv: envName.describe('The NAME of the environment variable holding the operator bearer token.'),
  releaseTokenEnv: envName.optional().describe('The NAME of the environment variable holding the risk-officer token (release, resume).'),
});

const kubernetes = z.strictObject({
  kubeconfig: z.string().min(1).describe('Path to the kubeconfig file (it may itself point to a token file or exec plugin).'),
  context: z.string().min(1).max(253).optional().describe("The kubeconfig context (default: the file's current-context)."),
  namespace: k8sName.describe('Where the Bot and KillSwitch resources live.'),
});

const source = (tokenWhat: string) => ({ url: httpUrl(tokenWhat), tokenEnv: envName.optional() });

const phases = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('redis-stream').describe('The bot phase stream in the target\'s Redis (docs/contracts.md §2).') }),
  z.strictObject({ source: z.literal('bot-watch').describe('A watch on the Bot resources\' status.phase in kubernetes.namespace.') }),
]);

const bots = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('rest'), ...source('GET of the bot list (slug, host, daemon, fleet, class, phase, …), e.g. the broker\'s /bots') }),
  z.strictObject({ source: z.literal('kubernetes').describe('List the Bot resources in kubernetes.namespace.') }),
]);

export const ExternalTargetSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editor hint: path to targets/schema.json.'),
    kind: z.literal('external'),
    name: name.describe('Shown in reports and evidence; evidence of different targets is never merged.'),
    environment: name.describe("e.g. staging; 'production' is refused at run time unless --confirm <environment> is given."),
    allowDrill: z.boolean().describe('Must be true for killdrill to pull any lever on this target (checked at run time).'),
    redis: redis.optional(),
    broker: broker.optional(),
    kubernetes: kubernetes.optional(),
    ledger: z.strictObject(source('GET /ledger?after=SEQ of a venue or drop-copy: the ground truth of what left the system')),
    journal: z.strictObject(source("GET /journal?after=CURSOR: the bots' intent/outcome journal (docs/contracts.md §3)")),
    venue: z
      .strictObject(source("The venue's base URL for its own book, GET /orders?open=1 and GET /positions (optional: without it mode-work-done cannot cross-check the book and is unknown for cancel and flatten)"))
      .optional(),
    phases,
    bots,
    peak: PeakSchema.optional().describe("The system's measured peak of broker API requests/s (from its own monitoring, with where and when): what load.k6.rate '2x-peak' doubles; a case asking for it on a target without it is refused."),
    toxiproxy: z.strictObject({ url: httpUrl('A Toxiproxy API for network faults (optional: without it, no network fault can run)') }).optional(),
    hosts: z
      .strictObject({
        tokenEnv: envName.optional().describe("The variable holding the supervisors' token (default: broker.tokenEnv's)."),
        supervisors: z
          .record(z.string(), httpUrl("A host's supervisor: GET /events?after=SEQ (its daemons' starts and exits) and GET /daemons (their tags)"))
          .superRefine((r, ctx) => {
            if (!Object.keys(r).length) ctx.addIssue({ code: 'custom', message: 'name at least one host, or leave hosts out' });
            for (const h of Object.keys(r)) if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(h)) ctx.addIssue({ code: 'custom', path: [h], message: `'${h}' is not a host name (letters, digits, dots, dashes, underscores, as the bot list's host field)` });
          }),
      })
      .optional()
      .describe("Each host's supervisor (optional): with it, a broker's claim that it stopped a daemon is checked against that daemon's exit (stop-claims-verified), and halt levels read the daemons' tags; without it such claims are unknown."),
  })
  .superRefine((t, ctx) => {
    const add = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (!t.redis && !t.broker && !t.kubernetes) add([], 'no lever to pull: give at least one of redis (the redis path), broker (rest, broker-level) or kubernetes (crd)');
    if (t.phases.source === 'redis-stream' && !t.redis) add(['phases', 'source'], 'redis-stream reads the phase stream from the target\'s Redis: add redis.url, or use bot-watch');
    if (t.phases.source === 'bot-watch' && !t.kubernetes) add(['phases', 'source'], 'bot-watch watches the Bot resources: add kubernetes (kubeconfig, namespace), or use redis-stream');
    if (t.bots.source === 'kubernetes' && !t.kubernetes) add(['bots', 'source'], 'kubernetes lists the Bot resources: add kubernetes (kubeconfig, namespace), or use rest with a url');
    if (t.broker?.releaseTokenEnv !== undefined && t.broker.releaseTokenEnv === t.broker.tokenEnv) {
      add(['broker', 'releaseTokenEnv'], 'the release token is a separate (risk-officer) role: name a different environment variable than broker.tokenEnv, or leave releaseTokenEnv out');
    }
  });

export const TargetSchema = z.discriminatedUnion('kind', [SimulatedTargetSchema, ExternalTargetSchema]);

export type TargetInput = z.input<typeof TargetSchema>;
export type Target = z.output<typeof TargetSchema>;
export type SimulatedTarget = z.output<typeof SimulatedTargetSchema>;
export type ExternalTarget = z.output<typeof ExternalTargetSchema>;
