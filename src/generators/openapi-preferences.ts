type Json = Record<string, unknown>;

/** The request header that chooses how a body's properties the client may not write are read (src/http/input-handling.ts). */
export function handlingPreferenceParameter(): Json {
  return {
    name: 'Prefer',
    in: 'header',
    required: false,
    description:
      'RFC 7240 preferences. `handling=lenient` (the default): properties the client may not write here (read-only ones such as `id`, ' +
      'create-only ones in a merge patch, unknown ones) are ignored, so a client may send back a whole record it read. ' +
      '`handling=strict`: they are refused with a 422 listing them (`unknown_property`, `unmapped_property`). Other preferences are ignored.',
    // Any header value is read; the pattern only keeps generated values within what a header can carry.
    schema: { type: 'string', pattern: '^[\\x20-\\x7E]*$', examples: ['handling=strict', 'handling=lenient'] },
  };
}

const PREFERENCE_APPLIED = {
  required: false,
  description: 'Sent once the body was read, when the request asked for a `handling` preference: the one it was read with.',
  schema: { type: 'string', enum: ['handling=strict', 'handling=lenient'] },
};

/**
 * An operation that reads a body: the Prefer parameter, and Preference-Applied on each of its
 * answers (any of them may come after the body was read, a 404 or a 409 as well as a success).
 */
export function withHandlingPreference(operation: Json): Json {
  const responses = Object.fromEntries(
    Object.entries(operation.responses as Record<string, Json>).map(([status, response]) => [status, { ...response, headers: { ...(response.headers as Json | undefined), 'Preference-Applied': PREFERENCE_APPLIED } }]),
  );
  return { ...operation, parameters: [...((operation.parameters as Json[] | undefined) ?? []), handlingPreferenceParameter()], responses };
}
