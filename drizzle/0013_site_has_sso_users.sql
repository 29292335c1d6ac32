ALTER TABLE "site" ADD COLUMN "has_sso_users" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "site" SET "has_sso_users" = true WHERE EXISTS (SELECT 1 FROM "site_user" su JOIN "account" a ON a."id" = su."account_id" WHERE su."site_id" = "site"."id" AND a."kind" = 'sso');
