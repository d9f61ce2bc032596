import { z } from '@hono/zod-openapi';

/** Must list the same types as WEBHOOK_EVENTS in src/domain/webhooks.ts (the routes do not compile otherwise). */
export const WebhookEventSchema = z
  .enum([
    'connection.needs_reauth',
    'connection.recovered',
    'refresh.failed',
    'refresh.succeeded',
    'metrics.updated',
  ])
  .openapi('WebhookEvent');

export const CreateWebhookBodySchema = z
  .strictObject({
    url: z.string().min(1).max(2048).openapi({
      description:
        'http(s) URL that must resolve to public addresses only (docs/webhooks.md: DESKPULSE_WEBHOOK_ALLOWED_NETWORKS)',
      example: 'https://hooks.example.com/deskpulse',
    }),
    events: z
      .array(WebhookEventSchema)
      .min(1, 'subscribe to at least one event')
      .refine((events) => new Set(events).size === events.length, 'events must be unique'),
  })
  .openapi('CreateWebhook');

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(WebhookEventSchema),
    createdAt: z.iso.datetime(),
  })
  .openapi('Webhook');

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description:
      'Signing secret (`whsec_…`). Shown once; store it now. See docs/webhooks.md to verify deliveries.',
  }),
}).openapi('CreatedWebhook');

export const WebhookParamSchema = z.object({
  id: z.string().regex(/^wh_[0-9a-f]{20}$/, 'must be a webhook id'),
});

export const DeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const WebhookAttemptSchema = z
  .object({
    at: z.iso.datetime(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .openapi('WebhookAttempt');

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    state: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(WebhookAttemptSchema),
    nextAttemptAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
  })
  .openapi('WebhookDelivery');

export const toWebhookDto = (w: {
  id: string;
  url: string;
  events: string[];
  createdAt: Date;
}): z.infer<typeof WebhookSchema> => ({
  id: w.id,
  url: w.url,
  events: w.events as z.infer<typeof WebhookEventSchema>[],
  createdAt: w.createdAt.toISOString(),
});

export const toDeliveryDto = (d: {
  id: string;
  eventId: string;
  eventType: string;
  state: z.infer<typeof WebhookDeliverySchema>['state'];
  attempts: z.infer<typeof WebhookAttemptSchema>[];
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}): z.infer<typeof WebhookDeliverySchema> => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});
export type WebhookDto = z.infer<typeof WebhookSchema>;
export type CreatedWebhookDto = z.infer<typeof CreatedWebhookSchema>;
export type WebhookDeliveryDto = z.infer<typeof WebhookDeliverySchema>;
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
