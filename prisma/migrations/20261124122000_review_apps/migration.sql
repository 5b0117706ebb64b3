-- Review apps: an app per pull request of a parent that opts in.
ALTER TABLE "App" ADD COLUMN "reviewApps" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "App" ADD COLUMN "reviewConfigEnc" BYTEA;
ALTER TABLE "App" ADD COLUMN "parentAppId" UUID;
ALTER TABLE "App" ADD COLUMN "pullRequestNumber" INTEGER;
ALTER TABLE "App" ADD COLUMN "reviewCommentId" BIGINT;
CREATE UNIQUE INDEX "App_parentAppId_pullRequestNumber_key" ON "App"("parentAppId", "pullRequestNumber");
ALTER TABLE "App" ADD CONSTRAINT "App_parentAppId_fkey" FOREIGN KEY ("parentAppId") REFERENCES "App"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- A monorepo's app builds from a directory of its repository.
ALTER TABLE "App" ADD COLUMN "rootDir" TEXT NOT NULL DEFAULT '';
