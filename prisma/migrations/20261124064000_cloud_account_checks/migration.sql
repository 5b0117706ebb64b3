-- A cloud account is checked by a worker once added: when it last worked, or why not.
ALTER TABLE "CloudAccount" ADD COLUMN "verifiedAt" TIMESTAMP(3);
ALTER TABLE "CloudAccount" ADD COLUMN "error" TEXT;
