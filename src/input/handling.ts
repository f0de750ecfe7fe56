/**
 * What a POST or PATCH body's properties that the client may not write mean (read-only ones
 * like `id` or `member_count`, create-only ones in a patch, unknown ones), by RFC 7240's
 * `Prefer: handling` (read from the request in src/http/input-handling.ts):
 * - `lenient` (the default): they are ignored, as API Platform ignores them, so a generic client
 *   (API Platform Admin's edit) may send back the whole record it read;
 * - `strict`: they are refused with the usual 422 violations (`unknown_property`,
 *   `unmapped_property`), so a partner can find out that it misspelt one.
 */
export type Handling = 'lenient' | 'strict';
