// Bytes → text for feed payloads. Pure. The charset is chosen in this order:
//   1. a byte-order mark (UTF-8, UTF-32LE/BE, UTF-16LE/BE) — it cannot lie about the bytes that follow;
//   2. the Content-Type `charset` parameter;
//   3. UTF-32 or UTF-16 without a BOM, recognised from a first `<` encoded that way (XML 1.0 appendix F:
//      `3C 00 00 00`, `00 00 00 3C`, `3C 00 xx 00`, `00 3C 00 xx`);
//   4. the XML declaration's `encoding="…"`;
//   5. an HTML `<meta charset>` / `<meta http-equiv="Content-Type" content="…; charset=…">`;
//   6. UTF-8.
// Labels resolve through TextDecoder (WHATWG Encoding), so `iso-8859-1` and `latin1` decode as windows-1252
// and the returned charset is the canonical name (`windows-1252`, `utf-16le`, …). An unknown label is skipped.
// A UTF-16 or UTF-32 label found by sniffing ASCII-compatible bytes (steps 4–5) is wrong by construction:
// UTF-8 is used. UTF-32 is not a WHATWG encoding (TextDecoder refuses it), so it is decoded here; a code point
// that is not a Unicode scalar value becomes U+FFFD.
// Malformed sequences become U+FFFD rather than failing; the parser decides what to make of them.

export interface DecodedBody {
  text: string;
  charset: string;
}

const SNIFF_BYTES = 2048;

export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const encoding =
    bomEncoding(bytes) ??
    resolveLabel(contentTypeCharset(contentType)) ??
    utf16Sniff(bytes) ??
    asciiCompatible(resolveLabel(xmlDeclarationEncoding(bytes))) ??
    asciiCompatible(resolveLabel(metaCharset(bytes))) ??
    'utf-8';
  if (encoding === 'windows-1252') return { text: decodeWindows1252(bytes), charset: encoding };
  if (encoding === 'utf-32le' || encoding === 'utf-32be') {
    return { text: decodeUtf32(bytes, encoding === 'utf-32le'), charset: encoding };
  }
  const decoder = new TextDecoder(encoding);
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}

// Node 20's TextDecoder decodes windows-1252 (and so iso-8859-1) as ISO-8859-1, turning 0x80–0x9F into C1
// controls instead of “smart quotes”, € and friends; map that range by hand. Unassigned bytes keep their code.
const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

/** The `charset` parameter of a Content-Type value, unquoted; undefined when absent. */
export function contentTypeCharset(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  let codePoints: number[] = [];
  for (let i = 0; i + 4 <= bytes.byteLength; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (i === 0 && cp === 0xfeff) continue;
    codePoints.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (codePoints.length === 4096) {
      chunks.push(String.fromCodePoint(...codePoints));
      codePoints = [];
    }
  }
  if (bytes.byteLength % 4 !== 0) codePoints.push(0xfffd);
  chunks.push(String.fromCodePoint(...codePoints));
  return chunks.join('');
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0xfe && bytes[3] === 0xff) return 'utf-32be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0x00 && bytes[3] === 0x00) return 'utf-32le';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function utf16Sniff(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0x00 && b2 !== 0x00 && b3 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 !== 0x00) return 'utf-16be';
  return undefined;
}

function xmlDeclarationEncoding(bytes: Uint8Array): string | undefined {
  const head = asciiPrefix(bytes);
  const match = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1];
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = asciiPrefix(bytes);
  const match = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return match?.[1];
}

function asciiPrefix(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes.subarray(0, SNIFF_BYTES));
}

/** The canonical encoding name for a label, or undefined when TextDecoder does not know it. */
function resolveLabel(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const utf32 = /^(?:utf-?32|ucs-?4)(le|be)?$/i.exec(label.trim());
  if (utf32) return utf32[1]?.toLowerCase() === 'le' ? 'utf-32le' : 'utf-32be';
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

function asciiCompatible(encoding: string | undefined): string | undefined {
  return encoding !== undefined && /^utf-(?:16|32)/.test(encoding) ? 'utf-8' : encoding;
}
