CREATE TABLE `login_failures` (
	`key` text NOT NULL,
	`failed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_key_idx` ON `login_failures` (`key`,`failed_at`);--> statement-breakpoint
CREATE INDEX `login_failures_at_idx` ON `login_failures` (`failed_at`);