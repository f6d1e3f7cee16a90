export * from './config.ts';
export {
  buildWebhookRequest,
  classifyAnswer,
  type DeliverWebhookDeps,
  type DeliverWebhookResult,
  deliverWebhookHandler,
  WebhookDeliveryError,
  type WebhookRequest,
} from './jobs/deliver-webhook.job.ts';
export * from './service.ts';
export * from './signature.ts';
