-- Deployments of apps connected through the GitHub App are reported back as a
-- GitHub Deployment and a commit status: the id made, and the state last reported.
ALTER TABLE "Deployment" ADD COLUMN "githubDeploymentId" BIGINT;
ALTER TABLE "Deployment" ADD COLUMN "githubReportedState" TEXT;
-- The report sweep reads recently changed deployments.
CREATE INDEX "Deployment_updatedAt_idx" ON "Deployment"("updatedAt");
