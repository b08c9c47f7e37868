DROP INDEX `audit_ts_idx`;--> statement-breakpoint
CREATE INDEX `audit_ts_cover_idx` ON `audit_events` (`ts`,`event`,`status`,`prompt_tokens`,`completion_tokens`,`total_tokens`,`error`);