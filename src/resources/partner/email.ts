/** Trimmed, domain lower-cased (the local part is the mailbox owner's business). */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}

/** Emails are unique without regard to case. */
export function emailKey(email: string): string {
  return normalizeEmail(email).toLowerCase();
}

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

/** The domain of an email, lower-cased: what an organization's auto_join_domains are compared with. */
export function emailDomain(email: string): string {
  const key = emailKey(email);
  return key.slice(key.lastIndexOf('@') + 1);
}
