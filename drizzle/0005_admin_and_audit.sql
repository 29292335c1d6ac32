CREATE TABLE "audit_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_site_user_id" uuid,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"target_site_user_id" uuid,
	"target_name" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_user" ADD COLUMN "sort_name" text GENERATED ALWAYS AS (lower(regexp_replace(full_name, '^.*[[:space:]]', '')) || ' ' || lower(full_name)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_event_site" ON "audit_event" USING btree ("site_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "site_user_site_sort" ON "site_user" USING btree ("site_id","sort_name","id");--> statement-breakpoint
CREATE INDEX "site_user_search" ON "site_user" USING gin ((lower("full_name" || ' ' || "email")) gin_trgm_ops);