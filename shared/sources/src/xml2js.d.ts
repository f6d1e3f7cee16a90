// Minimal typings for the part of xml2js we use (it ships none, and @types/xml2js is not installed).
// xml2js is a dependency of rss-parser; see package.json.
declare module 'xml2js' {
  export interface ParserOptions {
    strict?: boolean;
    explicitArray?: boolean;
    explicitCharkey?: boolean;
    charkey?: string;
    attrkey?: string;
    trim?: boolean;
    normalize?: boolean;
    xmlns?: boolean;
    async?: boolean;
    emptyTag?: unknown;
  }
  export function parseStringPromise(xml: string, options?: ParserOptions): Promise<unknown>;
}
