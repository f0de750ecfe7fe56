/** What every part of a request plan draws on: the seeded generator, the document's schemas, the world, the callers. */
import type { ContractSchemas } from './contract-schemas.js';
import type { FuzzWorld } from './fuzz-world.js';
import type { Json } from './openapi-operations.js';
import type { Principals } from './principals.js';
import { validValue, type ValueContext } from './schema-values.js';
import type { SeededRandom } from './seeded-random.js';

export interface PlanContext {
  rng: SeededRandom;
  schemas: ContractSchemas;
  world: FuzzWorld;
  principals: Principals;
  /** The fuzzer's own gaps (a schema it cannot satisfy): reported apart from the API's defects. */
  fuzzerErrors: Set<string>;
  /** The last Idempotency-Key sent per operation, to replay it with the same body or another. */
  idempotency: Map<string, { key: string; target: string; body?: Buffer; type?: string }>;
}

export interface Part {
  label: string;
}

export interface BodyPart extends Part {
  body?: Buffer;
  type?: string;
}

function valueContext(ctx: PlanContext, optional: number): ValueContext {
  return { rng: ctx.rng, schemas: ctx.schemas, seen: (property) => ctx.world.seen(property), optional };
}

export function valid(schema: Json, ctx: PlanContext, where: string, optional = 0.5): { value: unknown } | undefined {
  const generated = validValue(schema, valueContext(ctx, optional));
  if (!generated) ctx.fuzzerErrors.add(`No valid value found for ${where}: ${JSON.stringify(schema).slice(0, 200)}`);
  return generated;
}
