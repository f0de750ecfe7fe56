/** `:organizationId` and `:id` of a resource nested in an organization (a member, an invitation, an installation). */
export const nestedIds = (params: Record<string, unknown>) => [String(params.organizationId), String(params.id)] as const;
