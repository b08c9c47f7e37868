CREATE TABLE `limit_counters` (
	`limit_id` integer NOT NULL,
	`subject` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer,
	`used` real NOT NULL,
	`notified` integer NOT NULL,
	PRIMARY KEY(`limit_id`, `subject`, `window_start`),
	FOREIGN KEY (`limit_id`) REFERENCES `limits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `limit_counters_end_idx` ON `limit_counters` (`window_end`);--> statement-breakpoint
CREATE TABLE `limit_grants` (
	`replica` text NOT NULL,
	`limit_id` integer NOT NULL,
	`subject` text NOT NULL,
	`window_start` integer NOT NULL,
	`amount` real NOT NULL,
	`reserved` real NOT NULL,
	PRIMARY KEY(`replica`, `limit_id`, `subject`, `window_start`),
	FOREIGN KEY (`limit_id`) REFERENCES `limits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `limit_grants_counter_idx` ON `limit_grants` (`limit_id`,`subject`,`window_start`);--> statement-breakpoint
CREATE TABLE `limit_replicas` (
	`id` text PRIMARY KEY NOT NULL,
	`heartbeat_at` integer NOT NULL
);
