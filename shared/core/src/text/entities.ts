// HTML character references, decoded by the `entities` library: named (the whole HTML5 set; unknown names
// are left as written), decimal and hex. Numeric references in 128–159 follow the HTML5 rule and map
// through Windows-1252 (`&#150;` → `–`). Ours on top of it: what counts as a reference (terminated by `;`,
// the same pattern `hasEntity` tests), and references HTML5 would turn into U+FFFD (NUL, surrogates, out of
// range) or into a C1 control (the five bytes Windows-1252 leaves undefined) are dropped instead: display
// text has no use for either.
import { decodeHTMLStrict, replaceCodePoint } from 'entities/decode';

/** Windows-1252 bytes 0x80–0x9F that differ from Latin-1 (the five undefined bytes are absent). */
export const CP1252_HIGH: ReadonlyMap<number, number> = new Map(
  Array.from({ length: 0x20 }, (_, i) => 0x80 + i).flatMap((byte): [number, number][] => {
    const cp = replaceCodePoint(byte);
    return cp === byte ? [] : [[byte, cp]];
  }),
);

const ENTITY_RE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** True when `s` still contains something that looks like a character reference. */
export function hasEntity(s: string): boolean {
  ENTITY_RE.lastIndex = 0;
  return ENTITY_RE.test(s);
}

function fromCodePoint(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '';
  const mapped = replaceCodePoint(cp);
  return cp >= 0x80 && cp <= 0x9f && mapped === cp ? '' : String.fromCodePoint(mapped);
}

/** Decodes one layer of HTML character references. `&amp;#32;` becomes `&#32;` (call again for more). */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (whole, dec: string | undefined, hex: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    return decodeHTMLStrict(whole);
  });
}
