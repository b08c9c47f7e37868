DROP INDEX "audit_ts_cover_idx";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "cache_read_tokens" integer;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "cache_write_tokens" integer;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "reasoning_tokens" integer;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "cost_usd" double precision;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "price_source" text;--> statement-breakpoint
ALTER TABLE "llms" ADD COLUMN "pricing" text;--> statement-breakpoint
CREATE INDEX "audit_ts_cover_idx" ON "audit_events" USING btree ("ts","event","status","prompt_tokens","completion_tokens","total_tokens","cost_usd","error");