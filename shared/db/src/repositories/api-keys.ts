// API keys. A key is shown once, at creation; only its sha256 is kept, as the document's `_id`, so
// verifying a presented key is one point read (the FerretDB hot path) and a stolen database holds no key.
//
// Why a hash lookup needs no constant-time compare: the presented key is hashed before it touches the
// database, and the lookup compares hashes. Timing can at most tell an attacker how much of a sha256 they
// chose matches a stored one, which says nothing about any key's bytes (keys are 256 random bits, so
// there is nothing to brute-force either). The plaintext is never compared with anything.
import { createHash, randomBytes } from 'node:crypto';
import { PipelineError } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';

export const API_KEY_SCOPES = ['admin', 'read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What is stored: no key, only its hash as `_id`. */
interface StoredApiKey {
  _id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  revokedAt?: string;
}

/** A key as shown to people and code: `id` is the first 12 hex characters of the hash, never the hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  revokedAt?: string;
}

export class ApiKeyError extends PipelineError {
  constructor(message: string, code: 'apikey-exists' | 'apikey-unknown' | 'apikey-invalid') {
    super(message, { code, retryable: false });
  }
}

const KEY_PREFIX = 'pw_';
/** `pw_` + 32 random bytes in base64url is 46 characters; anything much longer is not one of ours. */
const MAX_KEY_LENGTH = 200;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const ID_LENGTH = 12;

/** sha256 hex of a presented key: the stored `_id` and the rate-limit bucket name. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const toRecord = (doc: StoredApiKey): ApiKeyRecord => ({
  id: doc._id.slice(0, ID_LENGTH),
  name: doc.name,
  scopes: [...doc.scopes],
  createdAt: doc.createdAt,
  ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
});

export function apiKeysRepository(models: Models) {
  const { ApiKey } = models;
  // A handful of operator-made documents: listing is a scan by design (no secondary index).
  const all = async () =>
    toIsoDates((await ApiKey.find({}).sort({ createdAt: 1 }).lean()) as unknown as StoredApiKey[]);

  return {
    /** Creates a key and returns it in plaintext: the only time it exists outside the client. */
    async create(
      name: string,
      scopes: readonly ApiKeyScope[],
      now: Date,
    ): Promise<{ key: string; record: ApiKeyRecord }> {
      if (!NAME.test(name))
        throw new ApiKeyError(
          `apikeys: "${name}" is not a key name (1-64 letters, digits, . _ -)`,
          'apikey-invalid',
        );
      const wanted = [...new Set(scopes)];
      if (wanted.length === 0 || wanted.some((s) => !API_KEY_SCOPES.includes(s)))
        throw new ApiKeyError(`apikeys: scopes must be among ${API_KEY_SCOPES.join(', ')}`, 'apikey-invalid');
      if ((await all()).some((k) => k.name === name && !k.revokedAt))
        throw new ApiKeyError(
          `apikeys: an active key is already named "${name}" (revoke it first or pick another name)`,
          'apikey-exists',
        );
      const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const doc: StoredApiKey = {
        _id: hashApiKey(key),
        name,
        scopes: wanted,
        createdAt: now.toISOString(),
      };
      await ApiKey.collection.insertOne(toBsonDates(doc) as never);
      return { key, record: toRecord(doc) };
    },

    /** The key's record when it exists and is not revoked; otherwise undefined. One point read. */
    async verify(key: string): Promise<ApiKeyRecord | undefined> {
      if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
      const doc = toIsoDates((await ApiKey.findById(hashApiKey(key)).lean()) as StoredApiKey | null);
      if (!doc || doc.revokedAt) return undefined;
      return toRecord(doc);
    },

    /**
     * Revokes the active key named `nameOrId`, or the key whose id (12-hex hash prefix, from `list()`) it
     * is. Revoking a revoked key by id is a no-op that returns it.
     */
    async revoke(nameOrId: string, now: Date): Promise<ApiKeyRecord> {
      const keys = await all();
      const target =
        keys.find((k) => k.name === nameOrId && !k.revokedAt) ??
        (new RegExp(`^[0-9a-f]{${ID_LENGTH}}$`).test(nameOrId)
          ? keys.find((k) => k._id.startsWith(nameOrId))
          : undefined);
      if (!target)
        throw new ApiKeyError(
          `apikeys: no active key named or with id "${nameOrId}" (see \`paperwire apikeys list\`)`,
          'apikey-unknown',
        );
      if (target.revokedAt) return toRecord(target);
      const revokedAt = now.toISOString();
      await ApiKey.updateOne({ _id: target._id }, { $set: { revokedAt } });
      return toRecord({ ...target, revokedAt });
    },

    /** Every key, oldest first, revoked ones included; never a hash or a key. */
    async list(): Promise<ApiKeyRecord[]> {
      return (await all()).map(toRecord);
    },
  };
}
export type ApiKeysRepository = ReturnType<typeof apiKeysRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'apiKeys.list() and lookups by name',
  collection: 'apikeys',
  sort: { createdAt: 1 },
  index: { scan: 'a handful of operator-made documents; verifying a key is an `_id` read' },
});
