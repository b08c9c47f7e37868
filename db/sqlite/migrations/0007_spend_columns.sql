DROP INDEX `audit_ts_cover_idx`;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `cache_read_tokens` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `cache_write_tokens` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `reasoning_tokens` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `cost_usd` real;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `price_source` text;--> statement-breakpoint
CREATE INDEX `audit_ts_cover_idx` ON `audit_events` (`ts`,`event`,`status`,`prompt_tokens`,`completion_tokens`,`total_tokens`,`cost_usd`,`error`);--> statement-breakpoint
ALTER TABLE `llms` ADD `pricing` text;