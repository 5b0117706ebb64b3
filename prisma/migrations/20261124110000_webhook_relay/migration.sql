-- The receiver only stores deliveries; the worker relays `received` ones into work.
CREATE INDEX "WebhookDelivery_status_receivedAt_idx" ON "WebhookDelivery"("status", "receivedAt");
-- The raw signed bytes are the one stored form of a payload: deliveries stored
-- before they were kept get their parsed payload's text, then the copy goes.
UPDATE "WebhookDelivery" SET "rawBody" = convert_to("payload"::text, 'UTF8') WHERE "rawBody" IS NULL AND "payload" IS NOT NULL;
UPDATE "WebhookDelivery" SET "rawBody" = '\x'::bytea WHERE "rawBody" IS NULL;
ALTER TABLE "WebhookDelivery" ALTER COLUMN "rawBody" SET NOT NULL;
ALTER TABLE "WebhookDelivery" DROP COLUMN "payload";
