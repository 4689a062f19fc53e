// Request bodies of the broker's API (docs/contracts.md §3): strict zod schemas, so unknown
// fields and wrong types are 422 with the field named.
import { z } from 'zod';
import { LEVEL4_CONFIRMATION, MODES, SCOPES } from '../model.ts';
import { QUEUE_POLICIES } from '../../contracts/index.ts';
import { HttpError } from './http-io.ts';

const target = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.@/+-][A-Za-z0-9_.:@/+-]*$/, 'letters, digits and _ . : @ / + - only (a bot slug, fleet, asset …)');
const reason = z.string().max(1000);

/** The kill value's queue policy (agent fleets, seed 004): passed on in the value, absent means discard. */
const queue = z.enum(QUEUE_POLICIES);

export const HaltBody = z.object({ mode: z.enum(MODES).optional(), reason: reason.optional(), queue: queue.optional() }).strict();

export const EngageBody = z
  .object({
    scope: z.enum(SCOPES),
    target,
    mode: z.enum(MODES).optional(),
    reason: reason.optional(),
    queue: queue.optional(),
    ttlS: z.number().positive().max(31_536_000).optional(),
  })
  .strict()
  .refine((b) => b.scope !== 'platform' || b.target === 'platform', { message: "scope 'platform' takes target 'platform'", path: ['target'] });

export const ReleaseBody = z
  .object({ scope: z.enum(SCOPES), target })
  .strict()
  .refine((b) => b.scope !== 'platform' || b.target === 'platform', { message: "scope 'platform' takes target 'platform'", path: ['target'] });

export const LevelBody = z
  .object({
    level: z.number().int().min(1).max(4),
    asset: target.optional(),
    reason: reason.optional(),
    confirm: z.string().max(200).optional(),
  })
  .strict();

export const ResumeBody = z.object({ reason: reason.optional() }).strict();

export { LEVEL4_CONFIRMATION };

/** Validates a parsed body (undefined = no body = {}); 422 naming every bad field. */
export function validate<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
  throw new HttpError(422, `invalid ${what} body: ${issues}; see docs/contracts.md §3`);
}
