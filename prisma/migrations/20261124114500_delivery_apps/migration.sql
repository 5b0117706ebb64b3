-- What each delivery meant for each app of its repository: the app's recent deliveries.
CREATE TABLE "WebhookDeliveryApp" (
    "deliveryId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "result" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookDeliveryApp_pkey" PRIMARY KEY ("deliveryId","appId")
);
CREATE INDEX "WebhookDeliveryApp_appId_createdAt_idx" ON "WebhookDeliveryApp"("appId", "createdAt");
ALTER TABLE "WebhookDeliveryApp" ADD CONSTRAINT "WebhookDeliveryApp_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebhookDeliveryApp" ADD CONSTRAINT "WebhookDeliveryApp_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;
