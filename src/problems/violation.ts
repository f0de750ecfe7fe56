import { AppError, MAX_LISTED_VIOLATIONS, type Violation } from './app-error.js';
import type { ProblemSlug } from './problem-types.js';

/** How one violation code is worded: its message and hint from the facts of one case, and what it means in general. */
interface Wording<Facts> {
  /** What the code means, for the problem type's page (`/api/errors/<slug>`). */
  means: string;
  /** The problem types whose `violations` may carry it. */
  problems: ProblemSlug[];
  message: (facts: Facts) => string;
  hint?: (facts: Facts) => string | undefined;
}

const plural = (n: unknown, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const known = ({ known }: { known: string[] }) => `Known properties: ${known.join(', ')}.`;
const VALIDATION: ProblemSlug[] = ['validation-failed'];
const WEBHOOK_URL_HINT = 'Use an https URL on a public host; an operator may allow a local receiver with WEBHOOK_ALLOWED_HOSTS.';

function wording<Facts = Record<string, never>>(w: Wording<Facts>): Wording<Facts> {
  return w;
}

/**
 * Every violation code the API answers, each worded once. A 422's violations are built only
 * by `violation` below, so a code has one message and one hint wherever it is found, the
 * OpenAPI document lists exactly these codes, and the problem types' pages say what each means.
 */
export const VIOLATIONS = {
  required: wording<{ property: string }>({ means: 'A required property is missing.', problems: VALIDATION, message: () => 'This property is required.', hint: ({ property }) => `Send "${property}".` }),
  unknown_property: wording<{ known: string[] }>({ means: 'A property the client may not send here (with Prefer: handling=strict, also one it may not write).', problems: VALIDATION, message: () => 'This property is not allowed.', hint: known }),
  unknown_properties: wording<{ count: number; known: string[] }>({
    means: 'An object holds more unknown properties than a problem lists one by one.',
    problems: VALIDATION,
    message: ({ count }) => `This object has ${count} properties that are not allowed, too many to list one by one.`,
    hint: known,
  }),
  invalid_type: wording<{ expected: string; hint?: string }>({ means: 'A value of another type than the property takes (or a body describing another class).', problems: VALIDATION, message: ({ expected }) => `This value should be of type ${expected}.`, hint: ({ hint }) => hint }),
  too_short: wording<{ limit: number }>({ means: 'A string shorter than its minimum length.', problems: VALIDATION, message: ({ limit }) => `This value is too short. It should have ${plural(limit, 'character')} or more.` }),
  too_long: wording<{ limit: number }>({ means: 'A string longer than its maximum length (what it holds is not checked).', problems: VALIDATION, message: ({ limit }) => `This value is too long. It should have ${plural(limit, 'character')} or less.` }),
  invalid_format: wording<{ expected: string; hint?: string }>({ means: 'A string that is not in the format the property takes (an email address, a CIDR network, a slug ...).', problems: VALIDATION, message: ({ expected }) => `This value is not a valid ${expected}.`, hint: ({ hint }) => hint }),
  invalid_choice: wording<{ allowed: unknown[] }>({ means: 'A value that is not one of those the property allows.', problems: VALIDATION, message: () => 'The value you selected is not a valid choice.', hint: ({ allowed }) => `One of: ${allowed.join(', ')}.` }),
  too_small: wording<{ limit: number }>({ means: 'A number below its minimum.', problems: VALIDATION, message: ({ limit }) => `This value should be ${limit} or more.` }),
  too_large: wording<{ limit: number }>({ means: 'A number above its maximum.', problems: VALIDATION, message: ({ limit }) => `This value should be ${limit} or less.` }),
  too_few_items: wording<{ limit: number }>({ means: 'A list with fewer items than its minimum.', problems: VALIDATION, message: ({ limit }) => `This list should have ${plural(limit, 'item')} or more.` }),
  too_many_items: wording<{ limit: number }>({ means: 'A list with more items than its maximum (its items are not checked).', problems: VALIDATION, message: ({ limit }) => `This list should have ${limit} items or less.` }),
  too_many_entries: wording<{ limit: number }>({ means: 'A map (metadata, config) with more keys than its maximum, as sent or once a merge patch is applied.', problems: VALIDATION, message: ({ limit }) => `This map should have ${limit} entries or less.` }),
  duplicate_items: wording<{ first: number; second: number }>({ means: 'A list that holds the same value twice.', problems: VALIDATION, message: ({ first, second }) => `This list contains the same value twice (items ${first} and ${second}).` }),
  invalid_value: wording<{ rule: string }>({ means: 'A value that breaks another rule of the schema; the message names it.', problems: VALIDATION, message: ({ rule }) => `This value is not valid: it ${rule}.` }),
  invalid_characters: wording({
    means: 'Text that cannot be stored: a NUL character or an unpaired UTF-16 surrogate.',
    problems: VALIDATION,
    message: () => 'This value contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored.',
    hint: () => 'Send well-formed Unicode text.',
  }),
  unmapped_property: wording({
    means: 'With Prefer: handling=strict, a JSON-LD key that maps to no IRI.',
    problems: VALIDATION,
    message: () => 'This property maps to no IRI, so JSON-LD processing would drop it.',
    hint: () => "Map it in the @context to one of this resource's terms, or leave it out.",
  }),
  several_nodes: wording<{ count: number; resource: string }>({ means: 'A JSON-LD body that describes more than one top-level node.', problems: VALIDATION, message: ({ count, resource }) => `This body describes ${count} top-level nodes; send one ${resource}.` }),
  unsupported_keyword: wording<{ keyword: string; resource: string }>({ means: 'A JSON-LD keyword that has no place in a body.', problems: VALIDATION, message: ({ keyword, resource }) => `${keyword} has no place in a ${resource} body.` }),
  unsupported_context: wording<{ context: string; own: string }>({
    means: "A @context other than the resource's own: the API never fetches a remote one.",
    problems: ['validation-failed', 'unsupported-context'],
    message: ({ context }) => `This @context is not read: ${context}.`,
    hint: ({ own }) => `Send "@context": "${own}", inline the context in the body, or send no @context.`,
  }),
  unsafe_json_ld: wording<{ event: string }>({ means: 'Part of a JSON-LD body would be lost in processing.', problems: VALIDATION, message: ({ event }) => `Part of the body would be lost in JSON-LD processing: ${event}` }),
  unknown_partner: wording<{ reference: string; hint: string }>({ means: 'No partner has the email address (or id) sent.', problems: VALIDATION, message: ({ reference }) => `No partner has this ${reference}.`, hint: ({ hint }) => hint }),
  out_of_range: wording<{ range: string; hint: string }>({ means: 'A date outside the range the property allows.', problems: VALIDATION, message: ({ range }) => `This value must be ${range}.`, hint: ({ hint }) => hint }),
  excludes_own_address: wording<{ address?: string; hint: string }>({
    means: "An ip_allowlist that leaves out the address of the request that sets it: the caller would lose access.",
    problems: VALIDATION,
    message: ({ address }) => `This list leaves out the address this request comes from${address ? ` (${address})` : ''}: you would lose access to the organization.`,
    hint: ({ hint }) => hint,
  }),
  personal_organization: wording({
    means: 'auto_join_domains on a personal organization, which nobody can join.',
    problems: VALIDATION,
    message: () => 'A personal organization has exactly one member, its owner: nobody can join it.',
    hint: () => 'Leave auto_join_domains empty, or use an organization that is not personal.',
  }),
  // A refusal of the body as a whole is one violation at its root, worded as the problem's detail.
  idempotency_key_reused: wording<{ detail: string }>({ means: 'The Idempotency-Key was already used for a different request (the whole body).', problems: ['idempotency-key-reused'], message: ({ detail }) => detail }),
  document_too_complex: wording<{ detail: string }>({ means: 'The body is shaped beyond what the API reads (the whole body).', problems: ['document-too-complex'], message: ({ detail }) => detail }),
  validation_failed: wording<{ detail: string }>({ means: 'The body as a whole breaks a rule.', problems: VALIDATION, message: ({ detail }) => detail }),
  invalid_url: wording<{ host: string }>({ means: 'A webhook URL that is not an absolute URL.', problems: VALIDATION, message: () => 'Not an absolute URL.', hint: () => WEBHOOK_URL_HINT }),
  https_required: wording<{ host: string }>({ means: 'A webhook URL that is not https (http only for hosts in WEBHOOK_ALLOWED_HOSTS).', problems: VALIDATION, message: () => 'A webhook URL must use https (http only for hosts in WEBHOOK_ALLOWED_HOSTS).', hint: () => WEBHOOK_URL_HINT }),
  credentials_in_url: wording<{ host: string }>({ means: 'A webhook URL carrying a user name or password.', problems: VALIDATION, message: () => 'A webhook URL may not carry a user name or password.', hint: () => WEBHOOK_URL_HINT }),
  unresolvable_host: wording<{ host: string }>({ means: "A webhook URL whose host does not resolve.", problems: VALIDATION, message: ({ host }) => `The host ${host} does not resolve.`, hint: () => WEBHOOK_URL_HINT }),
  forbidden_address: wording<{ host: string }>({
    means: 'A webhook URL whose host resolves to a loopback, private, link-local or metadata address.',
    problems: VALIDATION,
    message: ({ host }) => `The host ${host} resolves to a loopback, private, link-local or metadata address, which webhooks never reach.`,
    hint: () => WEBHOOK_URL_HINT,
  }),
  unknown_organization: wording({
    means: 'An organization the caller neither belongs to nor is installed into.',
    problems: VALIDATION,
    message: () => 'No organization the caller belongs to or is installed into has this IRI or id.',
    hint: () => 'Give the @id of one of your organizations, or leave organization out to receive all of them.',
  }),
};

export type ViolationCode = keyof typeof VIOLATIONS;
export type FactsOf<C extends ViolationCode> = (typeof VIOLATIONS)[C] extends Wording<infer F> ? F : never;

export const VIOLATION_CODES = Object.keys(VIOLATIONS) as ViolationCode[];

/** The one way to build a violation: at `propertyPath`, its code's wording filled with these facts, and the rule's parameters as payload. */
export function violation<C extends ViolationCode>(code: C, propertyPath: string, facts: FactsOf<C>, payload?: Record<string, unknown>): Violation {
  const worded = VIOLATIONS[code] as Wording<FactsOf<C>>;
  const hint = worded.hint?.(facts);
  return { propertyPath, code, message: worded.message(facts), ...(hint ? { hint } : {}), ...(payload && Object.keys(payload).length ? { payload } : {}) };
}

/** The codes a problem type's violations may carry, with what each means: the problem type's page lists them. */
export function violationCodesOf(slug: ProblemSlug): { code: ViolationCode; means: string }[] {
  return VIOLATION_CODES.filter((code) => (VIOLATIONS[code].problems as ProblemSlug[]).includes(slug)).map((code) => ({ code, means: VIOLATIONS[code].means }));
}

const ROOT_CODES: Partial<Record<ProblemSlug, 'idempotency_key_reused' | 'document_too_complex' | 'validation_failed'>> = {
  'idempotency-key-reused': 'idempotency_key_reused',
  'document-too-complex': 'document_too_complex',
};

/** The one violation, at the root, of a 422 refused as a whole (a reused Idempotency-Key, a body too complex to read). */
export function rootViolation(slug: ProblemSlug, detail: string): Violation {
  return violation(ROOT_CODES[slug] ?? 'validation_failed', '', { detail });
}

/** The 422 of these violations; its detail names the paths of those the problem lists, and counts the rest. */
export function invalid(violations: Violation[]): AppError {
  const n = violations.length;
  const paths = violations.slice(0, MAX_LISTED_VIOLATIONS).map((v) => v.propertyPath || '(body)');
  const more = n - paths.length;
  const rest = more ? `, and ${more} more (the first ${MAX_LISTED_VIOLATIONS} are listed)` : '';
  return new AppError('validation-failed', `${n} value${n === 1 ? '' : 's'} in the request ${n === 1 ? 'is' : 'are'} not valid: ${paths.join(', ')}${rest}.`, { violations });
}
