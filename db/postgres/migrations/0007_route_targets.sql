ALTER TABLE "audit_events" ADD COLUMN "served_by" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "attempts" integer;--> statement-breakpoint
ALTER TABLE "llms" ADD COLUMN "routing" text;