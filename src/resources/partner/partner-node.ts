import type { JsonLdNode } from '../../http/representation.js';
import type { Partner } from './partner-repository.js';

/** A partner embedded where it acted or was acted upon: who sent an invitation, who is installed. */
export function partnerNode(partner: Partner | null): JsonLdNode | null {
  return partner && { '@type': 'Partner', id: partner.id, email: partner.email, name: partner.name };
}
