-- AlterTable
ALTER TABLE "App" ADD COLUMN     "metricsThrough" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ProcessType" ADD COLUMN     "autoscaling" JSONB;

-- AlterTable
ALTER TABLE "ServerGroup" ADD COLUMN     "observedDesired" INTEGER,
ADD COLUMN     "scaling" JSONB;

-- CreateTable
CREATE TABLE "AppMetric" (
    "appId" UUID NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors5xx" INTEGER NOT NULL DEFAULT 0,
    "p50Ms" DOUBLE PRECISION,
    "p95Ms" DOUBLE PRECISION,
    "p99Ms" DOUBLE PRECISION,
    "instances" INTEGER,

    CONSTRAINT "AppMetric_pkey" PRIMARY KEY ("appId","minute")
);

-- AddForeignKey
ALTER TABLE "AppMetric" ADD CONSTRAINT "AppMetric_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;
