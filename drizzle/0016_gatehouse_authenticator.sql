CREATE TABLE "authenticator_enrolment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"session_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"sealed_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"device_id" uuid,
	CONSTRAINT "authenticator_enrolment_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "authenticator_jti" (
	"device_id" uuid NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "authenticator_jti_device_id_jti_pk" PRIMARY KEY("device_id","jti")
);
--> statement-breakpoint
CREATE TABLE "sign_in_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"ip" text,
	"user_agent" text,
	"place" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"device_id" uuid,
	CONSTRAINT "sign_in_request_status_valid" CHECK ("sign_in_request"."status" in ('pending', 'approved', 'code_sent', 'denied', 'wrong_number', 'superseded', 'used'))
);
--> statement-breakpoint
CREATE TABLE "web_push_key" (
	"id" integer PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"sealed_private_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "device" DROP CONSTRAINT "device_kind_valid";--> statement-breakpoint
ALTER TABLE "device" ADD COLUMN "device_key" jsonb;--> statement-breakpoint
ALTER TABLE "device" ADD COLUMN "sealed_push_subscription" text;--> statement-breakpoint
ALTER TABLE "authenticator_enrolment" ADD CONSTRAINT "authenticator_enrolment_session_id_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authenticator_enrolment" ADD CONSTRAINT "authenticator_enrolment_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authenticator_enrolment" ADD CONSTRAINT "authenticator_enrolment_device_id_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."device"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authenticator_jti" ADD CONSTRAINT "authenticator_jti_device_id_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."device"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_request" ADD CONSTRAINT "sign_in_request_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_request" ADD CONSTRAINT "sign_in_request_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_request" ADD CONSTRAINT "sign_in_request_device_id_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."device"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "authenticator_enrolment_session" ON "authenticator_enrolment" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "authenticator_enrolment_expires" ON "authenticator_enrolment" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "authenticator_jti_expires" ON "authenticator_jti" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sign_in_request_one_pending" ON "sign_in_request" USING btree ("account_id") WHERE "sign_in_request"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "sign_in_request_owner" ON "sign_in_request" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "sign_in_request_expires" ON "sign_in_request" USING btree ("expires_at");--> statement-breakpoint
ALTER TABLE "device" ADD CONSTRAINT "device_kind_valid" CHECK ("device"."kind" in ('totp', 'webauthn', 'managed_totp', 'gatehouse_authenticator'));