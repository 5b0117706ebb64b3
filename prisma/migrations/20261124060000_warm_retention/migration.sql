-- A disabled (warm) server group is kept for an instant rollback until its retention window ends.
ALTER TABLE "ServerGroup" ADD COLUMN "disabledAt" TIMESTAMP(3);
