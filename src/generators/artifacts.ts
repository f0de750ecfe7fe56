import { contextResources, writableResources } from '../resources/registry.js';
import { buildContext } from './context.js';
import { buildInputSchema, schemaId, type SchemaMode } from './json-schema.js';
import type { ResourceDescription } from '../resources/description.js';

/** A create schema for resources clients POST, an update schema for those they PATCH. */
function schemaModes(resource: ResourceDescription): SchemaMode[] {
  const modes: SchemaMode[] = [];
  if (resource.operations.collection?.POST) modes.push('create');
  if (resource.operations.item?.PATCH) modes.push('update');
  return modes;
}

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
      schemaModes(r).map((mode) => ({ dir: 'schemas' as const, file: schemaId(r, mode), content: text(buildInputSchema(r, mode)) })),
    ),
  ];
}
