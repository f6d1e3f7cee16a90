// Webhook signatures, Stripe-style: `Paperwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
// HMAC is over `<t>.<raw body>` with the subscription's secret. The timestamp is signed with the body, so a
// captured request cannot be replayed later than the receiver's tolerance, nor re-dated. Pure: the time is
// a parameter; node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers refuse a signature whose timestamp is further than this from their clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The HTTP headers of a delivery. `Paperwire-Event-Id` is the idempotency key: the same on every retry. */
export const WEBHOOK_HEADERS = {
  eventId: 'Paperwire-Event-Id',
  eventType: 'Paperwire-Event-Type',
  timestamp: 'Paperwire-Timestamp',
  signature: 'Paperwire-Signature',
} as const;

export interface WebhookSignature {
  /** Unix seconds, as signed. */
  timestamp: number;
  /** Hex HMAC-SHA256 of `<timestamp>.<body>`. */
  v1: string;
  /** The `Paperwire-Signature` header value: `t=<timestamp>,v1=<hex>`. */
  header: string;
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      reason: 'malformed-header' | 'timestamp-outside-tolerance' | 'signature-mismatch';
    };

const hmacHex = (secret: string, timestamp: number, body: string | Uint8Array): Buffer =>
  createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest();

/** Signs `rawBody` (exactly the bytes sent) at `timestamp` (unix seconds). */
export function signWebhook(
  secret: string,
  rawBody: string | Uint8Array,
  timestamp: number,
): WebhookSignature {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('webhooks: the signature timestamp must be whole unix seconds');
  }
  const v1 = hmacHex(secret, timestamp, rawBody).toString('hex');
  return { timestamp, v1, header: `t=${timestamp},v1=${v1}` };
}

/** Parses `t=…,v1=…[,v1=…]`; several v1 values are allowed (any may match), other schemes are ignored. */
function parseHeader(header: string): { timestamp: number; v1: string[] } | undefined {
  if (header.length > 2_000) return undefined;
  let timestamp: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      v1.push(value.toLowerCase());
    }
  }
  return timestamp === undefined || v1.length === 0 ? undefined : { timestamp, v1 };
}

/**
 * Checks a delivery as a receiver would: `header` is the `Paperwire-Signature` value, `rawBody` the
 * request body exactly as received (before any JSON parsing). Refuses a malformed header, a timestamp more
 * than `toleranceSeconds` before or after `now`, and a signature that does not match (compared in
 * constant time).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  rawBody: string | Uint8Array,
  now: Date,
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerification {
  const parsed = typeof header === 'string' ? parseHeader(header) : undefined;
  if (!parsed) return { ok: false, reason: 'malformed-header' };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp-outside-tolerance' };
  }
  const expected = hmacHex(secret, parsed.timestamp, rawBody);
  // Every candidate is compared (no early exit), each in constant time over equal-length buffers.
  let matched = false;
  for (const candidate of parsed.v1) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'signature-mismatch' };
}
