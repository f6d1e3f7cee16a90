// The signature helpers, from the pure core.
export {
  isEventTypePattern,
  matchesEventType,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookSignature,
  type WebhookVerification,
} from '@paperwire/core';
