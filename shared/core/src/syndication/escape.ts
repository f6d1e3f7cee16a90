// Escaping for the markup Paperwire writes (Atom XML, HTML in feeds and e-mails). Pure.
//
// XML 1.0 allows only #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF: any other code point
// (C0 controls such as NUL or form feed, lone surrogates, U+FFFE/U+FFFF) makes the whole document
// ill-formed, and escaping as `&#0;` does not help (the reference is illegal too). They are dropped.

/** Code points that may not appear anywhere in an XML 1.0 document (with `u`: lone surrogates match). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `s` without the characters XML 1.0 forbids. */
export function stripInvalidXmlChars(s: string): string {
  return s.replace(NOT_XML_CHAR, '');
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for XML element content or a quoted attribute value: escaped, illegal characters dropped. */
export function escapeXml(s: string): string {
  return stripInvalidXmlChars(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Text for HTML element content or a quoted attribute value. The same five characters as XML (so the
 * result is also safe inside XHTML), and the same illegal characters dropped (an HTML body is often
 * embedded in XML, as in an Atom `<content type="html">`).
 */
export const escapeHtml = escapeXml;

/** `url` when it is an absolute http(s) URL, else undefined: nothing else goes into an href. */
export function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
