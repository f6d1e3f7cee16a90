// Stored observations as a reader with its own driver sees them once decoded: `_id` and `provenance` as
// fields, the rest of the entry from its gzip-compressed JSON (`entryGz`, shared/db's observations
// repository). Decoded here with zlib, not with the repository's own code, so a test checks the stored form.
import { gunzipSync } from 'node:zlib';
import type { Binary, Db, Document, Filter } from 'mongodb';

export async function storedObservations(db: Db, filter: Filter<Document> = {}): Promise<Document[]> {
  const docs = await db.collection('observations').find(filter).toArray();
  return docs.map(({ entryGz, ...doc }) => ({
    ...doc,
    ...(entryGz ? JSON.parse(gunzipSync((entryGz as Binary).buffer).toString('utf8')) : {}),
  }));
}
