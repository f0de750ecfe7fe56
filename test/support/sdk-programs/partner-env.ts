/**
 * What each partner program is given (the test servers and its tokens) and what it reports:
 * the test asserts the report, so every field is something the program read from an answer.
 */
function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

export const env = {
  /** The origin of the API (orval takes it from the served document's `servers` instead). */
  api: required('SDK_API'),
  token: required('SDK_TOKEN'),
  /** A token of its own to spend the per-token rate limit with, until a 429. */
  limitedToken: required('SDK_LIMITED_TOKEN'),
  /** An existing partner to add as a member. */
  memberEmail: required('SDK_MEMBER_EMAIL'),
  label: required('SDK_LABEL'),
};

export interface PartnerReport {
  createdName: string;
  readName: string;
  listedIds: string[];
  pagesRead: number;
  renamedTo: string;
  settingsAfterRename: { max_members: number; members_can_invite: boolean; crm: string | undefined };
  memberRole: string;
  invitationStatus: string;
  violationPaths: string[];
  branches: string[];
}

/** The problem type's last segment: `https://…/api/errors/slug-taken` → `slug-taken`. */
export function problemSlug(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1);
}

/** What the program does on each problem type it expects: the branch it took. */
export function branchOn(type: string): string {
  switch (problemSlug(type)) {
    case 'slug-taken':
      return 'conflict: choose another slug';
    case 'precondition-failed':
      return 'stale: read again and retry';
    case 'too-many-requests':
      return 'rate limited: wait for Retry-After';
    default:
      return `unexpected: ${type}`;
  }
}

/** The `after` cursor of a hydra:next link. */
export function afterCursor(next: string): string | undefined {
  return new URL(next, env.api).searchParams.get('after') ?? undefined;
}

/** More requests than the test server's per-token limit allows. */
export const ATTEMPTS_TO_BE_LIMITED = 60;

export function report(result: PartnerReport): void {
  process.stdout.write(JSON.stringify(result));
}
