// The public endpoints the arXiv sources default to, in a module of their own so configuration can name
// them without loading the parsers (`@paperwire/sources/endpoints`).
export const ARXIV_API_ENDPOINT = 'https://export.arxiv.org/api/query';
export const ARXIV_OAI_ENDPOINT = 'https://export.arxiv.org/oai2';
