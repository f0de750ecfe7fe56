/**
 * The document's JSON Schemas compiled with ajv (2020-12, strict, every format checked), as
 * test/openapi.test.ts compiles them: the components are loaded under one id so that their
 * `#/components/...` refs resolve, and inline schemas get their refs pointed there too.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isCidr, isLanguageTag } from '../../../src/input/formats.js';
import { deref, type Json } from './openapi-operations.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const DOCUMENT_ID = 'https://contract-fuzz.test/api/docs.json';
const URI_REFERENCE = fullFormats['uri-reference'] as RegExp;

/** RFC 3987 §3.1: an IRI is a URI once its non-ASCII characters are percent-encoded (a lone surrogate cannot be, so it is no IRI). */
export function isIriReference(value: string): boolean {
  try {
    return URI_REFERENCE.test(value.replace(/[^\x00-\x7f]+/gu, (text) => encodeURIComponent(text)));
  } catch {
    return false;
  }
}

/** Points `#/components/...` refs of an inline schema at the loaded document. */
function anchored(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchored);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#') ? DOCUMENT_ID + value : anchored(value)]));
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
}

/**
 * The components with every object schema that lists its properties closed
 * (`unevaluatedProperties: false`), so a response key the document does not describe fails at
 * any depth. Schemas that others extend through allOf stay open (closing them would refuse the
 * extension's own properties), and so do maps (they describe their keys another way).
 */
function closedComponents(components: Json): Json {
  const schemas: Json = components.schemas ?? {};
  const extended = new Set(refsIn(Object.values(schemas).map((s: Json) => s.allOf ?? [])));
  const closable = (name: string, s: Json) =>
    s.type === 'object' && s.properties && !('additionalProperties' in s) && !('patternProperties' in s) && !('unevaluatedProperties' in s) && !extended.has(`#/components/schemas/${name}`);
  const closed = Object.entries(schemas).map(([name, s]) => [name, closable(name, s as Json) ? { ...(s as Json), unevaluatedProperties: false } : s]);
  return { ...components, schemas: Object.fromEntries(closed) };
}

function newAjv(components: Json): Ajv2020 {
  // verbose: errors carry the schema object that failed, which names its place in the document (see pointerOf).
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true, verbose: true });
  addFormats(ajv);
  ajv.addFormat('cidr', isCidr);
  ajv.addFormat('bcp47', isLanguageTag);
  ajv.addFormat('iri-reference', isIriReference);
  ajv.addFormat('iri', (value: string) => isIriReference(value) && /^[a-z][a-z0-9+.-]*:/i.test(value));
  for (const annotation of ['components', 'example', 'xml', 'externalDocs', 'discriminator']) ajv.addKeyword(annotation);
  ajv.addSchema({ $id: DOCUMENT_ID, components });
  return ajv;
}

/** Every schema object of the components, by the JSON pointer that leads to it. */
function pointers(components: Json, into: WeakMap<object, string>, at = '#/components'): void {
  if (typeof components !== 'object' || components === null || into.has(components)) return;
  into.set(components, at);
  for (const [key, value] of Object.entries(components)) pointers(value, into, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

export class ContractSchemas {
  private readonly open: Ajv2020;
  private readonly closed: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly places = new WeakMap<object, string>();

  constructor(private readonly document: Json) {
    const closed = closedComponents(document.components ?? {});
    this.open = newAjv(document.components ?? {});
    this.closed = newAjv(closed);
    pointers(document.components ?? {}, this.places);
    pointers(closed, this.places);
  }

  /**
   * Where in the document a failing schema is: ajv's own schemaPath restarts at each $ref
   * (`#/required` for any component), so errors are placed by the schema object itself.
   */
  pointerOf(schema: unknown): string | undefined {
    return typeof schema === 'object' && schema !== null ? this.places.get(schema) : undefined;
  }

  /** A validator of the schema as the document writes it, or closed to undocumented keys. */
  validator(schema: Json, mode: 'open' | 'closed' = 'open'): ValidateFunction {
    const key = `${mode}:${JSON.stringify(schema)}`;
    let validate = this.cache.get(key);
    if (!validate) {
      const ajv = mode === 'open' ? this.open : this.closed;
      // A top-level $ref to a closed component is closed by the component itself.
      validate = ajv.compile(anchored(schema) as Json);
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** The schema a `$ref` names inside the document, for generators that walk schemas. */
  resolve(schema: Json): Json {
    return deref(this.document, schema);
  }
}
