-- A webhook secret of an app's own, for repositories outside the GitHub App;
-- deliveries signed with it are scoped to that app.
ALTER TABLE "App" ADD COLUMN "webhookSecretEnc" BYTEA;
ALTER TABLE "WebhookDelivery" ADD COLUMN "scopeAppId" UUID;
