// HTML character references: named (the common HTML 4 set, which covers what feeds actually emit), decimal
// and hex. Unknown names are left as written. Numeric references in 128–159 follow the HTML5 rule and map
// through Windows-1252 (`&#150;` → `–`); NUL, surrogates and out-of-range code points are dropped.

/** Windows-1252 bytes 0x80–0x9F that differ from Latin-1 (the five undefined bytes are absent). */
export const CP1252_HIGH: ReadonlyMap<number, number> = new Map([
  [0x80, 0x20ac],
  [0x82, 0x201a],
  [0x83, 0x0192],
  [0x84, 0x201e],
  [0x85, 0x2026],
  [0x86, 0x2020],
  [0x87, 0x2021],
  [0x88, 0x02c6],
  [0x89, 0x2030],
  [0x8a, 0x0160],
  [0x8b, 0x2039],
  [0x8c, 0x0152],
  [0x8e, 0x017d],
  [0x91, 0x2018],
  [0x92, 0x2019],
  [0x93, 0x201c],
  [0x94, 0x201d],
  [0x95, 0x2022],
  [0x96, 0x2013],
  [0x97, 0x2014],
  [0x98, 0x02dc],
  [0x99, 0x2122],
  [0x9a, 0x0161],
  [0x9b, 0x203a],
  [0x9c, 0x0153],
  [0x9e, 0x017e],
  [0x9f, 0x0178],
]);

// U+00A0…U+00FF in order: the HTML 4 Latin-1 entity names.
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde ' +
  'Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute ' +
  'Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde ' +
  'auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ' +
  'ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

// U+0391… and U+03B1…; the empty slot is U+03A2, which is unassigned.
const GREEK_UPPER =
  'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho - Sigma Tau Upsilon Phi Chi Psi Omega';
const GREEK_LOWER =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega';

const OTHER_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['quot', 34],
  ['amp', 38],
  ['apos', 39],
  ['lt', 60],
  ['gt', 62],
  ['OElig', 338],
  ['oelig', 339],
  ['Scaron', 352],
  ['scaron', 353],
  ['Yuml', 376],
  ['fnof', 402],
  ['circ', 710],
  ['tilde', 732],
  ['thetasym', 977],
  ['ensp', 8194],
  ['emsp', 8195],
  ['thinsp', 8201],
  ['zwnj', 8204],
  ['zwj', 8205],
  ['lrm', 8206],
  ['rlm', 8207],
  ['ndash', 8211],
  ['mdash', 8212],
  ['lsquo', 8216],
  ['rsquo', 8217],
  ['sbquo', 8218],
  ['ldquo', 8220],
  ['rdquo', 8221],
  ['bdquo', 8222],
  ['dagger', 8224],
  ['Dagger', 8225],
  ['bull', 8226],
  ['hellip', 8230],
  ['permil', 8240],
  ['prime', 8242],
  ['Prime', 8243],
  ['lsaquo', 8249],
  ['rsaquo', 8250],
  ['euro', 8364],
  ['trade', 8482],
  ['larr', 8592],
  ['uarr', 8593],
  ['rarr', 8594],
  ['darr', 8595],
  ['harr', 8596],
  ['forall', 8704],
  ['part', 8706],
  ['exist', 8707],
  ['empty', 8709],
  ['nabla', 8711],
  ['isin', 8712],
  ['notin', 8713],
  ['prod', 8719],
  ['sum', 8721],
  ['minus', 8722],
  ['radic', 8730],
  ['prop', 8733],
  ['infin', 8734],
  ['and', 8743],
  ['or', 8744],
  ['cap', 8745],
  ['cup', 8746],
  ['int', 8747],
  ['sim', 8764],
  ['asymp', 8776],
  ['ne', 8800],
  ['equiv', 8801],
  ['le', 8804],
  ['ge', 8805],
  ['sub', 8834],
  ['sup', 8835],
  ['sube', 8838],
  ['supe', 8839],
  ['oplus', 8853],
  ['otimes', 8855],
  ['perp', 8869],
  ['sdot', 8901],
  ['lang', 9001],
  ['rang', 9002],
  ['loz', 9674],
];

function buildNamedEntities(): ReadonlyMap<string, string> {
  // A Map, not an object literal: `&constructor;` or `&__proto__;` must not hit Object.prototype.
  const map = new Map<string, string>();
  LATIN1_NAMES.split(' ').forEach((name, i) => {
    map.set(name, String.fromCodePoint(0xa0 + i));
  });
  GREEK_UPPER.split(' ').forEach((name, i) => {
    if (name !== '-') map.set(name, String.fromCodePoint(0x391 + i));
  });
  GREEK_LOWER.split(' ').forEach((name, i) => {
    map.set(name, String.fromCodePoint(0x3b1 + i));
  });
  for (const [name, cp] of OTHER_NAMES) map.set(name, String.fromCodePoint(cp));
  return map;
}

const NAMED = buildNamedEntities();

const ENTITY_RE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** True when `s` still contains something that looks like a character reference. */
export function hasEntity(s: string): boolean {
  ENTITY_RE.lastIndex = 0;
  return ENTITY_RE.test(s);
}

function fromCodePoint(cp: number): string {
  if (cp >= 0x80 && cp <= 0x9f) {
    const mapped = CP1252_HIGH.get(cp);
    return mapped === undefined ? '' : String.fromCodePoint(mapped);
  }
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '';
  return String.fromCodePoint(cp);
}

/** Decodes one layer of HTML character references. `&amp;#32;` becomes `&#32;` (call again for more). */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(
    ENTITY_RE,
    (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
      if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
      return (name !== undefined && NAMED.get(name)) || whole;
    },
  );
}
