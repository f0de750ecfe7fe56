import { contextResources, writableResources } from '../resources/registry.js';
import { buildContext } from './context.js';
import { buildInputSchema, schemaId } from './json-schema.js';

export interface Artifact {
  dir: 'contexts' | 'schemas';
  file: string;
  content: string;
}

/** Every generated file committed under contexts/ and schemas/, from the descriptions. */
export function artifacts(): Artifact[] {
  const text = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  return [
    ...contextResources.map((r) => ({ dir: 'contexts' as const, file: `${r.name}.jsonld`, content: text(buildContext(r)) })),
    ...writableResources.flatMap((r) =>
      (['create', 'update'] as const).map((mode) => ({ dir: 'schemas' as const, file: schemaId(r, mode), content: text(buildInputSchema(r, mode)) })),
    ),
  ];
}
