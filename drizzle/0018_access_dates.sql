ALTER TABLE "site_user" ADD COLUMN "access_starts_on" date;--> statement-breakpoint
ALTER TABLE "site_user" ADD COLUMN "access_ends_on" date;--> statement-breakpoint
ALTER TABLE "site_user" ADD COLUMN "access_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site_user" ADD COLUMN "access_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site_user" ADD COLUMN "access_ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site_user" ADD COLUMN "left_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "site_user_access_due" ON "site_user" USING btree ("access_ends_at") WHERE "site_user"."access_ended_at" is null and "site_user"."access_ends_at" is not null;