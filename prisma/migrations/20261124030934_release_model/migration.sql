-- The release model: rollbacks, config releases, cancel, rollout slot, observed
-- server group state. Server groups lose their concatenated name: the provider
-- derives cloud names from ids. Builds made before this carry definition node-1.
-- CreateEnum
CREATE TYPE "ReleaseCause" AS ENUM ('push', 'deploy', 'config', 'rollback', 'resize');

-- AlterEnum
ALTER TYPE "DeploymentKind" ADD VALUE 'resize';

-- DropIndex
DROP INDEX "ServerGroup_name_key";

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "deletingAt" TIMESTAMP(3),
ADD COLUMN     "rolloutDeploymentId" UUID;

-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "definition" TEXT NOT NULL DEFAULT 'node-1',
ADD COLUMN     "logCursor" TEXT,
ADD COLUMN     "ref" TEXT,
ALTER COLUMN "commitSha" DROP NOT NULL;

ALTER TABLE "Build" ALTER COLUMN "definition" DROP DEFAULT;

-- AlterTable
ALTER TABLE "ConfigVersion" ADD COLUMN     "storeRef" TEXT;

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "configVersionId" UUID,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "parentCommitSha" TEXT,
ADD COLUMN     "ref" TEXT,
ADD COLUMN     "stepStartedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Release" ADD COLUMN     "cause" "ReleaseCause" NOT NULL DEFAULT 'push',
ADD COLUMN     "sourceReleaseId" UUID;

-- AlterTable
ALTER TABLE "ServerGroup" DROP COLUMN "name",
ADD COLUMN     "maxSize" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "minSize" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "observedAt" TIMESTAMP(3),
ADD COLUMN     "observedFailed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "observedHealthy" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "observedInstances" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "observedStarting" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "registered" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Build_appId_commitSha_idx" ON "Build"("appId", "commitSha");

-- CreateIndex
CREATE INDEX "Deployment_appId_state_idx" ON "Deployment"("appId", "state");

-- CreateIndex
CREATE INDEX "ServerGroup_status_idx" ON "ServerGroup"("status");

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_sourceReleaseId_fkey" FOREIGN KEY ("sourceReleaseId") REFERENCES "Release"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_configVersionId_fkey" FOREIGN KEY ("configVersionId") REFERENCES "ConfigVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
