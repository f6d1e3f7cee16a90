export { contentTypeCharset, type DecodedBody, decodeBody } from './decode-body.ts';
export { type FileFeedFile, readFileFeed } from './file-source.ts';
export {
  createHttpClient,
  type FetchOutcome,
  type GetInit,
  HTTP_CLIENT_DEFAULTS,
  type HttpClient,
  type HttpClientOptions,
  type PostInit,
  type PostOutcome,
  type ResponseHeaders,
} from './guarded-client.ts';
export {
  type AddressClass,
  type AddressPolicyOptions,
  classifyAddress,
  isAllowedAddress,
} from './ip-policy.ts';
export { parseRetryAfter } from './retry-after.ts';
