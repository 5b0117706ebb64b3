-- CreateIndex
CREATE INDEX "Release_appId_status_idx" ON "Release"("appId", "status");
