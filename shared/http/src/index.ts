// The guarded HTTP client every service that calls out uses (the fetcher for feeds, webhooks for
// deliveries): address policy, size and time caps, decompression, charset decoding, Retry-After.
export { contentTypeCharset, type DecodedBody, decodeBody } from './decode-body.ts';
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
