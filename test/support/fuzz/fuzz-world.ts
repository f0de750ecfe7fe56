/**
 * What the fuzzer has learnt from the API's own answers: the IRIs it has seen (so path
 * parameters can take real ids), the ETags of each, the pagination links to follow, and the
 * values seen under each property name (real emails and ids for bodies).
 */
import type { Answer } from './http-exchange.js';
import { isJsonMedia, type DocumentedOperation } from './openapi-operations.js';
import { mediaTypeOf } from './response-checker.js';

/** Real values for an operation's path parameters, and who was given the IRI they come from. */
export interface Binding {
  values: Record<string, string>;
  seenBy: string[];
}

export interface FollowableLink {
  principal: string;
  target: string;
}

const SEEN_PER_PROPERTY = 40;
const LINKS_KEPT = 60;

export class FuzzWorld {
  /** Paths (no query) that some operation's path parameters can be bound from, oldest first, with the partners whose answers held them. */
  private readonly paths = new Map<string, Set<string>>();
  private readonly etags = new Map<string, string[]>();
  private readonly seenValues = new Map<string, unknown[]>();
  readonly links: FollowableLink[] = [];
  /** Bindings per operation, recomputed only after the paths changed. */
  private readonly cache = new Map<DocumentedOperation, Binding[]>();

  constructor(private readonly operations: DocumentedOperation[], private readonly base: string) {}

  /** Real values for an operation's path parameters: one record per IRI seen that binds them all. */
  bindings(operation: DocumentedOperation): Binding[] {
    if (!operation.pathNames.length) return [];
    const cached = this.cache.get(operation);
    if (cached) return cached;
    const found: Binding[] = [];
    for (const [path, seenBy] of this.paths) {
      const match = operation.bindingPattern.exec(path);
      if (match) found.push({ values: Object.fromEntries(operation.pathNames.map((name, i) => [name, match[i + 1]])), seenBy: [...seenBy] });
    }
    this.cache.set(operation, found);
    return found;
  }

  /** Every value seen bound to a parameter anywhere, for mixing ids across resources. */
  anyBoundValue(): string[] {
    return [...new Set(this.operations.flatMap((o) => this.bindings(o).flatMap((b) => Object.values(b.values))))];
  }

  etagsOf(path: string): string[] {
    return this.etags.get(path) ?? [];
  }

  seen(property: string): readonly unknown[] {
    return this.seenValues.get(property) ?? [];
  }

  observe(principal: string, method: string, target: string, answer: Answer): void {
    const path = target.split('?')[0];
    if (answer.status >= 200 && answer.status < 300 && method === 'DELETE') this.forget(path);
    const etag = answer.headers.etag;
    if (etag && answer.status === 200 && (method === 'GET' || method === 'PATCH')) this.etags.set(path, [...this.etagsOf(path), etag].slice(-5));
    const media = mediaTypeOf(answer);
    if (answer.status >= 300 || !media || !isJsonMedia(media)) return;
    let body: unknown;
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      return;
    }
    this.walk(principal, body, undefined);
  }

  private walk(principal: string, value: unknown, key: string | undefined): void {
    if (Array.isArray(value)) return value.forEach((v) => this.walk(principal, v, key));
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) this.walk(principal, v, k);
      return;
    }
    if (typeof value !== 'string' || key === undefined) return;
    const path = this.localPath(value);
    if (path) this.learnPath(principal, path, key);
    if (value.length <= 254) this.remember(key, value);
  }

  private localPath(value: string): string | undefined {
    const local = value.startsWith(this.base) ? value.slice(this.base.length) : value;
    return local.startsWith('/') ? local : undefined;
  }

  private learnPath(principal: string, target: string, key: string): void {
    const path = target.split('?')[0];
    const seenBy = this.paths.get(path);
    if (seenBy && !seenBy.has(principal)) {
      seenBy.add(principal);
      this.cache.clear();
    } else if (!seenBy && this.operations.some((o) => o.pattern.test(path) || o.bindingPattern.test(path))) {
      this.paths.set(path, new Set([principal]));
      this.cache.clear();
    }
    if (key.startsWith('hydra:') && target.includes('?') && !this.links.some((l) => l.target === target && l.principal === principal)) {
      this.links.push({ principal, target });
      if (this.links.length > LINKS_KEPT) this.links.shift();
    }
  }

  private remember(key: string, value: string): void {
    const list = this.seenValues.get(key) ?? [];
    if (list.includes(value)) return;
    list.push(value);
    if (list.length > SEEN_PER_PROPERTY) list.shift();
    this.seenValues.set(key, list);
  }

  private forget(path: string): void {
    for (const known of [...this.paths.keys()]) if (known === path || known.startsWith(`${path}/`)) this.paths.delete(known);
    this.cache.clear();
  }
}
