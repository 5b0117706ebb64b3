-- Deliveries keep the exact signed bytes; the parsed payload only when jsonb can hold it.
ALTER TABLE "WebhookDelivery" ADD COLUMN "rawBody" BYTEA;
ALTER TABLE "WebhookDelivery" ALTER COLUMN "payload" DROP NOT NULL;
-- Deliveries past the retention window are pruned, oldest first.
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");
