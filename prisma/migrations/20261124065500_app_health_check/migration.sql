-- Per-app overrides of the web health check (path, interval, thresholds), applied from the next release.
ALTER TABLE "App" ADD COLUMN "healthCheck" JSONB NOT NULL DEFAULT '{}';
