// Mojibake repair: UTF-8 bytes that someone decoded as Latin-1 / Windows-1252 (`JosÃ© RaÃºl` → `José Raúl`,
// `donâ€™t` → `don’t`). The repair is all-or-nothing for the string it is given: every character must map
// back to one byte and those bytes must be valid UTF-8, otherwise the input is returned unchanged. Correct
// Latin-1 text (`Müller`) never forms valid UTF-8, so it is left alone. Up to two layers are undone.

import { CP1252_HIGH } from './entities.ts';

const CP1252_REVERSE: ReadonlyMap<number, number> = new Map(
  [...CP1252_HIGH.entries()].map(([byte, cp]) => [cp, byte]),
);

// A UTF-8 lead byte (as Latin-1) followed by a continuation byte (as Latin-1 or its Windows-1252 glyph).
const SIGNATURE =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function undoOnce(s: string): string | undefined {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const cp = s.charCodeAt(i);
    if (cp <= 0xff) bytes[i] = cp;
    else {
      const byte = CP1252_REVERSE.get(cp);
      if (byte === undefined) return undefined;
      bytes[i] = byte;
    }
  }
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  // C1 controls or replacement characters in the result mean the guess was wrong.
  if (/[\u0080-\u009f\ufffd]/.test(decoded)) return undefined;
  return decoded;
}

/** Undoes UTF-8-read-as-Windows-1252 double encoding when the whole string round-trips cleanly. */
export function repairMojibake(s: string): string {
  let out = s;
  for (let layer = 0; layer < 2 && SIGNATURE.test(out); layer++) {
    const fixed = undoOnce(out);
    if (fixed === undefined) break;
    out = fixed;
  }
  return out;
}
