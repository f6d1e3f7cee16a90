// Text normalisation: display cleaning (cleanText), matching keys (titleForMatch, foldAccents) and the
// rss.arxiv.org description prefix. Pure: no I/O, no clock.
export { type ArxivAnnounce, parseArxivAnnounce, stripArxivPrefix } from './announce.ts';
export { cleanText, collapseWhitespace, removeInvisible } from './clean.ts';
export { decodeHtmlEntities } from './entities.ts';
export { stripHtmlTags } from './html.ts';
export { latexToText } from './latex.ts';
export { foldAccents, titleForMatch } from './match.ts';
export { repairMojibake } from './mojibake.ts';
