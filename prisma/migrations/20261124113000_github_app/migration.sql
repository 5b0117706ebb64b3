-- The platform's GitHub App (made through the App-manifest flow), the
-- repositories its installations give access to, and apps connected by
-- GitHub's repository id.
CREATE TABLE "GithubApp" (
    "id" UUID NOT NULL,
    "singleton" BOOLEAN NOT NULL DEFAULT true,
    "githubAppId" BIGINT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerLogin" TEXT NOT NULL,
    "htmlUrl" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecretEnc" BYTEA NOT NULL,
    "privateKeyEnc" BYTEA NOT NULL,
    "webhookSecretEnc" BYTEA NOT NULL,
    "syncedAt" TIMESTAMP(3),
    "syncError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GithubApp_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "GithubApp_singleton_key" ON "GithubApp"("singleton");
CREATE UNIQUE INDEX "GithubApp_githubAppId_key" ON "GithubApp"("githubAppId");

ALTER TABLE "GithubInstallation" ADD COLUMN "repositorySelection" TEXT NOT NULL DEFAULT 'selected';
ALTER TABLE "GithubInstallation" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

CREATE TABLE "GithubRepository" (
    "id" BIGINT NOT NULL,
    "installationId" UUID NOT NULL,
    "fullName" TEXT NOT NULL,
    "private" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GithubRepository_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "GithubRepository_installationId_idx" ON "GithubRepository"("installationId");
ALTER TABLE "GithubRepository" ADD CONSTRAINT "GithubRepository_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "GithubInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "App" ADD COLUMN "githubRepoId" BIGINT;
CREATE INDEX "App_githubRepoId_branch_idx" ON "App"("githubRepoId", "branch");

ALTER TABLE "WebhookDelivery" ADD COLUMN "repositoryId" BIGINT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "installationId" BIGINT;
