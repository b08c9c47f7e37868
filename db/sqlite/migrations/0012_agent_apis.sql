ALTER TABLE `audit_events` ADD `api` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `session_id` text;