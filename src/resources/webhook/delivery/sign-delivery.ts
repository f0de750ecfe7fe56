import { Webhook } from 'standardwebhooks';

/** The three Standard Webhooks headers of one delivery. */
export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs `<id>.<timestamp>.<body>` with each secret given (the current one, and during a
 * rotation's grace period the previous one too): the signatures are sent space-separated, as
 * the Standard Webhooks specification allows, so a receiver still holding the old secret verifies.
 * The `standardwebhooks` package signs, the same one receivers verify with.
 */
export function signDelivery(secrets: readonly string[], id: string, body: string, at: Date = new Date()): SignatureHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}
