// Tag stripping for feed HTML (arXiv RDF descriptions, HN story_text, Reddit bodies, HF feedgen blurbs).
// Only tags with a known HTML element name and well-formed attribute syntax are removed, so plain-text
// comparisons in abstracts (`$a<b$`, `x <y> z`) survive. Block-level tags become a space, inline tags
// vanish (`H<sub>2</sub>O` → `H2O`). Comments, <script> and <style> bodies are dropped; CDATA keeps its text.

const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

const INLINE_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'big',
  'center',
  'cite',
  'code',
  'del',
  'em',
  'font',
  'i',
  'iframe',
  'img',
  'ins',
  'kbd',
  'mark',
  'picture',
  'q',
  's',
  'samp',
  'small',
  'source',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'video',
  'wbr',
]);

// `<name` + (whitespace + attributes, quoted values may hold `>`) + optional `/` + `>`.
// Quoted values may not contain `<`, so a match never runs past the next `<` (linear on hostile input).
const TAG_RE = /<\/?([A-Za-z][A-Za-z0-9]*)(?:\s(?:[^<>"']|"[^"<]*"|'[^'<]*')*)?\/?>/g;

/** Drops <script>/<style> elements with their content; found with indexOf to stay linear. */
function dropScripts(s: string): string {
  const lower = s.toLowerCase();
  if (!lower.includes('<script') && !lower.includes('<style')) return s;
  let out = '';
  let from = 0;
  for (;;) {
    const a = lower.indexOf('<script', from);
    const b = lower.indexOf('<style', from);
    const start = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (start < 0) break;
    const name = start === a ? 'script' : 'style';
    const close = lower.indexOf(`</${name}`, start);
    const end = close < 0 ? -1 : lower.indexOf('>', close);
    if (end < 0) break; // unclosed: leave the rest to the tag stripper
    out += `${s.slice(from, start)} `;
    from = end + 1;
  }
  return out + s.slice(from);
}

/** Removes HTML markup, keeping text. Block boundaries become one space. */
export function stripHtmlTags(s: string): string {
  if (!s.includes('<')) return s;
  return dropScripts(s)
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(TAG_RE, (whole, rawName: string) => {
      const name = rawName.toLowerCase();
      if (BLOCK_TAGS.has(name)) return ' ';
      if (INLINE_TAGS.has(name)) return '';
      return whole;
    });
}
