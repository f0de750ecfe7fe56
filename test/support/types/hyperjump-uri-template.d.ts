/** The part of @hyperjump/uri-template (a strict RFC 6570 parser) the tests use; it ships no types. */
declare module '@hyperjump/uri-template' {
  export type Template = unknown;
  /** Throws on anything RFC 6570 does not allow (a `[` in a variable name, a bad pct-encoding). */
  export function parse(template: string): Template;
  export function expand(template: Template | string, values: Record<string, unknown>): string;
  const UriTemplate: { parse: typeof parse; expand: typeof expand };
  export default UriTemplate;
}
