-- Custom domains are their own state machine: removing, a reason when they fail, and when to look again.
ALTER TYPE "DomainStatus" ADD VALUE 'removing';
ALTER TABLE "Domain" ADD COLUMN "error" TEXT;
ALTER TABLE "Domain" ADD COLUMN "nextCheckAt" TIMESTAMP(3);
CREATE INDEX "Domain_status_nextCheckAt_idx" ON "Domain"("status", "nextCheckAt");
