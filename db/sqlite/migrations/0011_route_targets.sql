ALTER TABLE `audit_events` ADD `served_by` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `attempts` integer;--> statement-breakpoint
ALTER TABLE `llms` ADD `routing` text;