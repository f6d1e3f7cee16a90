// Digest subscriptions: who gets which boards how often. Pure: addresses, ids, periods and the
// unsubscribe token (node:crypto only; the time is a parameter).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isoWeekKey } from '../scoring/periods.ts';

export const DIGEST_CADENCES = ['daily', 'weekly'] as const;
export type DigestCadence = (typeof DIGEST_CADENCES)[number];

/** `ds_` + 16 hex: derived from the address, so one address is one subscription. */
export const DIGEST_SUBSCRIBER_ID = /^ds_[0-9a-f]{16}$/;

/** A scheduled period (`2026-11-29`, `2026-W48`) or a manual send (`m20261129T1432`). */
export const DIGEST_PERIOD = /^(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|m\d{8}T\d{4})$/;

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// Deliberately narrower than RFC 5321 (no quoted local parts, no IP literals, no whitespace or header
// characters): what can be typed into an e-mail header without any chance of injection.
const EMAIL = new RegExp(`^[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]{1,64}@(?:${LABEL}\\.)+[A-Za-z]{2,63}$`);

/** Trimmed and lower-cased, or undefined when it is not an address we send to. */
export function normaliseEmail(email: string): string | undefined {
  const e = email.trim().toLowerCase();
  if (e.length > 254 || !EMAIL.test(e) || e.startsWith('.') || e.includes('..') || e.includes('.@'))
    return undefined;
  return e;
}

/** The subscription id of a normalised address: `ds_` + the first 16 hex of its SHA-256. */
export function digestSubscriberId(normalisedEmail: string): string {
  return `ds_${createHash('sha256').update(normalisedEmail, 'utf8').digest('hex').slice(0, 16)}`;
}

/**
 * The period `now` falls in for `cadence`, when periods start at `hourUtc` o'clock UTC (each day, or each
 * Monday): `2026-11-29` or the ISO week `2026-W48`. Before that hour, the period is still the previous one.
 */
export function digestPeriod(cadence: DigestCadence, now: Date, hourUtc: number): string {
  const shifted = new Date(now.getTime() - hourUtc * 3_600_000);
  if (cadence === 'daily') return shifted.toISOString().slice(0, 10);
  return isoWeekKey(shifted.getTime());
}

/** The period of a manual send at `now` (one per minute, so a double click is one digest). */
export function manualDigestPeriod(now: Date): string {
  const iso = now.toISOString(); // 2026-11-29T14:32:10.000Z
  return `m${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The digest record id, also the basis of its Message-ID: `<subscriberId>.<period>`. */
export const digestId = (subscriberId: string, period: string): string => `${subscriberId}.${period}`;

/** `<digest.<subscriberId>.<period>@<domain>>`: the same on every try of one digest. */
export function digestMessageId(id: string, domain: string): string {
  return `<digest.${id}@${domain}>`;
}

const unsubscribeMac = (secret: string, subscriberId: string): Buffer =>
  createHmac('sha256', secret).update(`paperwire-digest-unsubscribe:${subscriberId}`, 'utf8').digest();

/** `<subscriberId>.<base64url HMAC-SHA256>`: lets the holder unsubscribe that subscription, and only it. */
export function unsubscribeToken(secret: string, subscriberId: string): string {
  return `${subscriberId}.${unsubscribeMac(secret, subscriberId).toString('base64url')}`;
}

/** The subscription a token was made for, or undefined (malformed, or not signed with `secret`). */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot < 0 || token.length > 200) return undefined;
  const subscriberId = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (!DIGEST_SUBSCRIBER_ID.test(subscriberId) || !/^[A-Za-z0-9_-]{43}$/.test(mac)) return undefined;
  const expected = unsubscribeMac(secret, subscriberId);
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? subscriberId : undefined;
}
