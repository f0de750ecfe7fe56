/**
 * The operations of the served OpenAPI document, read at run time: everything the fuzzer sends
 * and checks comes from here, so new operations, parameters, headers and statuses are picked up
 * without touching the fuzzer.
 */
export type Json = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
}

export interface DocumentedOperation {
  /** `GET /api/organizations/{id}`: how defects name it. */
  label: string;
  method: string;
  path: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
  /** Requirements as OpenAPI writes them; empty means anyone may call. */
  security: Record<string, string[]>[];
  /** The path parameters, in the order the path names them. */
  pathNames: string[];
  /** Matches a concrete path (no query) of this operation. */
  pattern: RegExp;
  /** Matches the IRI that binds every path parameter: the path cut after its last parameter. */
  bindingPattern: RegExp;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Follows a local `$ref` (`#/components/...`) until the object itself. */
export function deref(document: Json, value: Json): Json {
  let current: Json | undefined = value;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 20; hops++) {
    if (!current.$ref.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .map((part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((node: Json | undefined, key: string) => node?.[key], document);
    if (current === undefined) throw new Error(`The document's $ref ${value.$ref} leads nowhere`);
  }
  return current as Json;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map(escapeRegExp);
  return new RegExp(`^${parts.join('([^/]+)')}$`);
}

function bindingTemplate(template: string): string {
  const last = template.lastIndexOf('}');
  return last < 0 ? template : template.slice(0, last + 1);
}

function mergedParameters(document: Json, pathLevel: Json[] = [], operationLevel: Json[] = []): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const raw of [...pathLevel, ...operationLevel]) {
    const p = deref(document, raw);
    byKey.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true, schema: p.schema ? deref(document, p.schema) : {} });
  }
  return [...byKey.values()];
}

export function documentedOperations(document: Json): DocumentedOperation[] {
  return Object.entries(document.paths as Json).flatMap(([path, rawItem]) => {
    const item = deref(document, rawItem);
    return METHODS.filter((m) => item[m]).map((m) => {
      const operation = item[m];
      const requestBody = operation.requestBody ? deref(document, operation.requestBody) : undefined;
      return {
        label: `${m.toUpperCase()} ${path}`,
        method: m.toUpperCase(),
        path,
        parameters: mergedParameters(document, item.parameters, operation.parameters),
        requestBody: requestBody && { required: requestBody.required === true, content: requestBody.content ?? {} },
        responses: Object.fromEntries(Object.entries(operation.responses ?? {}).map(([status, r]) => [status, deref(document, r as Json)])),
        security: operation.security ?? document.security ?? [],
        pathNames: [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name),
        pattern: templatePattern(path),
        bindingPattern: templatePattern(bindingTemplate(path)),
      };
    });
  });
}

/** The response the document gives for a status: the exact code, then its range (`4XX`), then `default`. */
export function documentedResponse(operation: DocumentedOperation, status: number): { key: string; response: Json } | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default']) {
    if (operation.responses[key]) return { key, response: operation.responses[key] };
  }
  return undefined;
}

/** The operation a concrete method and path belong to: literal segments win over parameters. */
export function operationFor(operations: DocumentedOperation[], method: string, path: string): DocumentedOperation | undefined {
  const candidates = operations.filter((o) => o.method === method && o.pattern.test(path));
  return candidates.sort((a, b) => a.pathNames.length - b.pathNames.length)[0];
}

/** Fills a template with already-encoded path values. */
export function fillPath(operation: DocumentedOperation, values: Record<string, string>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name]);
}

/** The scopes named anywhere in the document's security requirements. */
export function documentedScopes(operations: DocumentedOperation[]): string[] {
  const scopes = new Set<string>();
  for (const o of operations) for (const requirement of o.security) for (const list of Object.values(requirement)) list.forEach((s) => scopes.add(s));
  return [...scopes].sort();
}

export const isJsonMedia = (media: string) => /^application\/([\w.-]+\+)?json$/.test(media.split(';')[0].trim().toLowerCase());
