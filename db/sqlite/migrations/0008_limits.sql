CREATE TABLE `limits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`llm_id` integer,
	`token_id` integer,
	`is_default` integer NOT NULL,
	`metric` text NOT NULL,
	`window` text,
	`max` real NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`llm_id`) REFERENCES `llms`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `limits_user_idx` ON `limits` (`user_id`);--> statement-breakpoint
CREATE INDEX `limits_llm_idx` ON `limits` (`llm_id`);--> statement-breakpoint
CREATE INDEX `limits_token_idx` ON `limits` (`token_id`);