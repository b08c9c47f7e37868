ALTER TABLE "audit_events" ADD COLUMN "api" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "session_id" text;