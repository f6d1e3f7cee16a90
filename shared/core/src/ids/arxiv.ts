// arXiv identifiers (https://info.arxiv.org/help/arxiv_identifier.html).
//   New style: YYMM.NNNN (0704–1412) or YYMM.NNNNN (1501 on), optional vN. Month and digit count are
//   checked, so `1234.5678` or `2401.1234` are not ids.
//   Old style: archive[.SC]/YYMMNNN (1991–2007), e.g. hep-th/9901001v2, cond-mat/0412498, math.GT/0309136.
//   Canonical form is versionless, and the old-style subject class is DROPPED, lower-case archive:
//   `math.GT/0309136` → `math/0309136` (arXiv resolves both to the same paper; the number is unique per
//   archive).
// In free text an id is only recognised with context: an arXiv-family URL (arxiv.org abs|pdf|html|…,
// huggingface.co/papers, alphaxiv.org, tldr.takara.ai/p), an `arXiv:` or `oai:arXiv.org:` prefix, or arXiv's
// DOI `10.48550/arXiv.<id>`. Old-style ids (known archive names only) are also accepted bare, since
// `hep-th/9901001` does not occur by accident.

/** Archives that had old-style identifiers. */
export const OLD_ARXIV_ARCHIVES = [
  'acc-phys',
  'adap-org',
  'alg-geom',
  'ao-sci',
  'astro-ph',
  'atom-ph',
  'bayes-an',
  'chao-dyn',
  'chem-ph',
  'cmp-lg',
  'comp-gas',
  'cond-mat',
  'cs',
  'dg-ga',
  'funct-an',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math',
  'math-ph',
  'mtrl-th',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'patt-sol',
  'physics',
  'plasm-ph',
  'q-alg',
  'q-bio',
  'quant-ph',
  'solv-int',
  'supr-con',
] as const;

const ARCHIVES = [...OLD_ARXIV_ARCHIVES].sort((a, b) => b.length - a.length).join('|');

const OLD_ID_SOURCE = String.raw`(?:${ARCHIVES})(?:\.[A-Za-z]{2,5}(?:-[A-Za-z]{2,3})?)?\/\d{7}`;
/** Regex source of an id without version (no capture groups): new style, or old style with subject class. */
export const ARXIV_ID_SOURCE = String.raw`(?:\d{4}\.\d{4,5}|${OLD_ID_SOURCE})`;

const NEW_RE = /^(\d{2})(\d{2})\.(\d{4,5})$/;
const OLD_RE = new RegExp(
  String.raw`^(${ARCHIVES})(?:\.[A-Za-z]{2,5}(?:-[A-Za-z]{2,3})?)?\/(\d{2})(\d{2})(\d{3})$`,
  'i',
);

export interface ArxivIdWithVersion {
  /** Canonical, versionless (`2401.01234`, `hep-th/9901001`). */
  id: string;
  version?: number;
}

/** Validates an id without version and returns its canonical form, or undefined. */
export function validateArxivId(raw: string): string | undefined {
  const n = NEW_RE.exec(raw);
  if (n) {
    const yymm = Number(n[1]) * 100 + Number(n[2]);
    const month = Number(n[2]);
    const digits = n[3]!;
    if (month < 1 || month > 12 || Number(digits) === 0) return undefined;
    if (digits.length === 4 && (yymm < 704 || yymm > 1412)) return undefined;
    if (digits.length === 5 && yymm < 1501) return undefined;
    return raw;
  }
  const o = OLD_RE.exec(raw);
  if (o) {
    const yy = Number(o[2]);
    const month = Number(o[3]);
    if (month < 1 || month > 12 || (yy > 7 && yy < 91) || Number(o[4]) === 0) return undefined;
    return `${o[1]!.toLowerCase()}/${o[2]}${o[3]}${o[4]}`;
  }
  return undefined;
}

/** Parses a version suffix digit string; arXiv versions start at 1. */
export function parseVersion(digits: string | undefined): number | undefined {
  if (digits === undefined || digits.length > 4) return undefined;
  const v = Number(digits);
  return v >= 1 ? v : undefined;
}

export interface ArxivMatch extends ArxivIdWithVersion {
  /** Offset in the searched text, for first-wins ordering. */
  index: number;
  /** Found in a huggingface.co/papers URL: the id is also the HF paper id. */
  hf: boolean;
}

const CONTEXT_RE = new RegExp(
  String.raw`(?:(?<![\w-])(?:[a-z0-9-]{1,63}\.){0,4}arxiv\.org\/(?:abs|pdf|html|format|ps|src)\/` +
    String.raw`|(?<![\w-])(?:www\.)?(huggingface\.co|hf\.co)\/papers\/` +
    String.raw`|(?<![\w-])(?:www\.)?alphaxiv\.org\/(?:abs|overview|pdf)\/` +
    String.raw`|(?<![\w-])tldr\.takara\.ai\/p\/` +
    String.raw`|(?<![\w.])oai:arxiv\.org:` +
    String.raw`|(?<![\w.-])arxiv:\s?` +
    String.raw`|(?<![\w.-])10\.48550\/arxiv\.)` +
    String.raw`(${ARXIV_ID_SOURCE})(?:v(\d+))?(?!\d)`,
  'gi',
);

const BARE_OLD_RE = new RegExp(String.raw`(?<![\w./-])(${OLD_ID_SOURCE})(?:v(\d+))?(?!\d)`, 'gi');

/** Every arXiv id in `text` that has context (see module comment), in order of appearance. */
export function findArxivIds(text: string): ArxivMatch[] {
  const out: ArxivMatch[] = [];
  const seen = new Set<number>();
  for (const m of text.matchAll(CONTEXT_RE)) {
    const id = validateArxivId(m[2]!);
    if (!id) continue;
    const version = parseVersion(m[3]);
    seen.add(m.index + m[0].length);
    out.push({ id, ...(version === undefined ? {} : { version }), index: m.index, hf: m[1] !== undefined });
  }
  for (const m of text.matchAll(BARE_OLD_RE)) {
    if (seen.has(m.index + m[0].length)) continue;
    const id = validateArxivId(m[1]!);
    if (!id) continue;
    const version = parseVersion(m[2]);
    out.push({ id, ...(version === undefined ? {} : { version }), index: m.index, hf: false });
  }
  return out.sort((a, b) => a.index - b.index);
}

const BARE_RE = new RegExp(String.raw`^(?:arxiv:\s?)?(${ARXIV_ID_SOURCE})(?:v(\d+))?(?:\.pdf)?$`, 'i');

/**
 * Canonical arXiv id from a field known to hold one: a bare id (`2401.01234v2`, `math.GT/0309136`) or any
 * form extractIds understands (`arXiv:…`, `oai:arXiv.org:…`, arxiv.org / huggingface.co / alphaxiv URLs,
 * `10.48550/arXiv.…`). The first id wins. Undefined when there is none or it is invalid.
 */
export function canonicalArxivId(raw: string): ArxivIdWithVersion | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s.length === 0 || s.length > 4096) return undefined;
  const bare = BARE_RE.exec(s);
  if (bare) {
    const id = validateArxivId(bare[1]!);
    if (!id) return undefined;
    const version = parseVersion(bare[2]);
    return version === undefined ? { id } : { id, version };
  }
  const first = findArxivIds(s)[0];
  if (!first) return undefined;
  return first.version === undefined ? { id: first.id } : { id: first.id, version: first.version };
}
