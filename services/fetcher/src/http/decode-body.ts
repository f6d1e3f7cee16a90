// Charset decoding lives in @paperwire/http; file-source.ts reads it from here.
export { contentTypeCharset, type DecodedBody, decodeBody } from '@paperwire/http';
