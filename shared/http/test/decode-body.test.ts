import { describe, expect, it } from 'vitest';
import { contentTypeCharset, decodeBody } from '../src/decode-body.ts';

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string, bom = true) => {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
};
const utf16be = (text: string, bom = true) => {
  const body = Buffer.from(text, 'utf16le').swap16();
  return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), body]) : body;
};

const utf32 = (text: string, littleEndian: boolean, bom = true) => {
  const cps = [...(bom ? '\uFEFF' : ''), ...text].map((c) => c.codePointAt(0) ?? 0);
  const view = new DataView(new ArrayBuffer(cps.length * 4));
  for (const [i, cp] of cps.entries()) view.setUint32(i * 4, cp, littleEndian);
  return new Uint8Array(view.buffer);
};

const XML_LATIN1 = '<?xml version="1.0" encoding="ISO-8859-1"?><title>Schrödinger</title>';
const XML_PLAIN = '<?xml version="1.0"?><title>Schrödinger</title>';

describe('decodeBody', () => {
  it.each<[string, Uint8Array, string | undefined, string, string]>([
    ['UTF-8 by default', utf8(XML_PLAIN), undefined, XML_PLAIN, 'utf-8'],
    ['UTF-8 BOM (stripped)', utf8(`\uFEFF${XML_PLAIN}`), undefined, XML_PLAIN, 'utf-8'],
    [
      'UTF-8 BOM beats a wrong header',
      utf8(`\uFEFF${XML_PLAIN}`),
      'text/xml; charset=iso-8859-1',
      XML_PLAIN,
      'utf-8',
    ],
    ['UTF-16LE BOM', utf16le(XML_PLAIN), undefined, XML_PLAIN, 'utf-16le'],
    ['UTF-16BE BOM', utf16be(XML_PLAIN), 'application/xml', XML_PLAIN, 'utf-16be'],
    [
      'UTF-16LE BOM beats a utf-8 header',
      utf16le(XML_PLAIN),
      'text/xml; charset=utf-8',
      XML_PLAIN,
      'utf-16le',
    ],
    ['UTF-16LE without BOM, sniffed', utf16le(XML_PLAIN, false), undefined, XML_PLAIN, 'utf-16le'],
    ['UTF-16BE without BOM, sniffed', utf16be(XML_PLAIN, false), undefined, XML_PLAIN, 'utf-16be'],
    ['UTF-16LE without BOM or declaration', utf16le('<rss/>', false), undefined, '<rss/>', 'utf-16le'],
    ['UTF-16BE without BOM or declaration', utf16be('<feed/>', false), undefined, '<feed/>', 'utf-16be'],
    ['UTF-32LE BOM', utf32(`${XML_PLAIN}𝔸`, true), undefined, `${XML_PLAIN}𝔸`, 'utf-32le'],
    ['UTF-32BE BOM', utf32(XML_PLAIN, false), 'text/xml; charset=utf-8', XML_PLAIN, 'utf-32be'],
    ['UTF-32LE without BOM, sniffed', utf32(XML_PLAIN, true, false), undefined, XML_PLAIN, 'utf-32le'],
    ['UTF-32BE without BOM, sniffed', utf32('<rss/>', false, false), undefined, '<rss/>', 'utf-32be'],
    [
      'UTF-32 from the header',
      utf32('<rss/>', false, false),
      'text/xml; charset=UTF-32',
      '<rss/>',
      'utf-32be',
    ],
    [
      'UTF-32 declared on ASCII bytes means UTF-8',
      utf8('<?xml version="1.0" encoding="UTF-32"?><a/>'),
      undefined,
      '<?xml version="1.0" encoding="UTF-32"?><a/>',
      'utf-8',
    ],
    [
      'ISO-8859-1 from the header',
      latin1(XML_PLAIN),
      'application/rss+xml; charset=ISO-8859-1',
      XML_PLAIN,
      'windows-1252',
    ],
    ['quoted header charset', latin1(XML_PLAIN), 'text/xml; charset="iso-8859-1"', XML_PLAIN, 'windows-1252'],
    [
      'ISO-8859-1 from the XML declaration',
      latin1(XML_LATIN1),
      'application/xml',
      XML_LATIN1,
      'windows-1252',
    ],
    [
      'single-quoted XML declaration',
      latin1("<?xml version='1.0' encoding='latin1'?><a>é</a>"),
      undefined,
      "<?xml version='1.0' encoding='latin1'?><a>é</a>",
      'windows-1252',
    ],
    ['header beats the XML declaration', utf8(XML_LATIN1), 'text/xml; charset=utf-8', XML_LATIN1, 'utf-8'],
    [
      'windows-1252 specials',
      Uint8Array.from([0x93, 0x71, 0x94, 0x20, 0x80]),
      'text/plain; charset=windows-1252',
      '\u201Cq\u201D \u20AC',
      'windows-1252',
    ],
    [
      'windows-1252 unassigned bytes keep their code',
      Uint8Array.from([0x81, 0x9f]),
      'text/plain; charset=latin1',
      '\u0081\u0178',
      'windows-1252',
    ],
    [
      'ISO-8859-2 from the header',
      Uint8Array.from([0xb1]),
      'text/xml; charset=iso-8859-2',
      'ą',
      'iso-8859-2',
    ],
    [
      'unknown header label falls through to the declaration',
      latin1(XML_LATIN1),
      'text/xml; charset=x-bogus',
      XML_LATIN1,
      'windows-1252',
    ],
    [
      'UTF-16 declared on ASCII bytes means UTF-8',
      utf8('<?xml version="1.0" encoding="UTF-16"?><a>é</a>'),
      undefined,
      '<?xml version="1.0" encoding="UTF-16"?><a>é</a>',
      'utf-8',
    ],
    [
      'HTML meta charset',
      latin1('<html><head><meta charset="iso-8859-1"><title>é</title>'),
      'text/html',
      '<html><head><meta charset="iso-8859-1"><title>é</title>',
      'windows-1252',
    ],
    [
      'HTML http-equiv',
      latin1('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>é'),
      undefined,
      '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>é',
      'windows-1252',
    ],
    [
      'Shift_JIS from the header',
      Uint8Array.from([0x93, 0xfa, 0x96, 0x7b]),
      'text/xml; charset=Shift_JIS',
      '日本',
      'shift_jis',
    ],
    ['malformed UTF-8 becomes U+FFFD', Uint8Array.from([0x61, 0xff, 0x62]), undefined, 'a\uFFFDb', 'utf-8'],
    ['empty body', new Uint8Array(0), undefined, '', 'utf-8'],
  ])('%s', (_name, bytes, contentType, text, charset) => {
    expect(decodeBody(bytes, contentType)).toEqual({ text, charset });
  });
});

describe('contentTypeCharset', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['text/xml', undefined],
    ['text/xml; charset=utf-8', 'utf-8'],
    ['text/xml;charset=UTF-8; format=flowed', 'UTF-8'],
    ['text/xml; CHARSET="iso-8859-1"', 'iso-8859-1'],
  ])('%s → %s', (contentType, charset) => {
    expect(contentTypeCharset(contentType)).toBe(charset);
  });
});
