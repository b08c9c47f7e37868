CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`sha256` text NOT NULL,
	`prefix` text NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_sha256_unique` ON `api_tokens` (`sha256`);--> statement-breakpoint
CREATE INDEX `api_tokens_user_idx` ON `api_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `api_tokens_prefix_idx` ON `api_tokens` (`prefix`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ts` integer NOT NULL,
	`event` text NOT NULL,
	`request_id` text,
	`llm` text,
	`provider` text,
	`model` text,
	`user` text,
	`token_sha` text,
	`streaming` integer,
	`status` integer,
	`duration_ms` integer,
	`ttft_ms` integer,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`total_tokens` integer,
	`error` text,
	`client_ip` text,
	`upstream_request_id` text,
	`target` text
);
--> statement-breakpoint
CREATE INDEX `audit_ts_idx` ON `audit_events` (`ts`);--> statement-breakpoint
CREATE INDEX `audit_event_ts_idx` ON `audit_events` (`event`,`ts`);--> statement-breakpoint
CREATE INDEX `audit_user_ts_idx` ON `audit_events` (`user`,`ts`);--> statement-breakpoint
CREATE INDEX `audit_llm_ts_idx` ON `audit_events` (`llm`,`ts`);--> statement-breakpoint
CREATE TABLE `config_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `llms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`url` text,
	`api_key_secret` text,
	`api_key_key` text,
	`description` text,
	`defaults` text,
	`timeout_ms` integer,
	`stream_usage` integer DEFAULT true NOT NULL,
	`gemini_path` text,
	`max_concurrency` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`api_key_secret`) REFERENCES `secrets`(`name`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `llms_name_unique` ON `llms` (`name`);--> statement-breakpoint
CREATE TABLE `role_bindings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	`resource` text NOT NULL,
	`name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `role_bindings_user_idx` ON `role_bindings` (`user_id`);--> statement-breakpoint
CREATE TABLE `secret_keys` (
	`secret_id` integer NOT NULL,
	`key` text NOT NULL,
	`ciphertext` text,
	`master_key_id` text,
	`env_var` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`secret_id`, `key`),
	FOREIGN KEY (`secret_id`) REFERENCES `secrets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `secrets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`backend` text NOT NULL,
	`description` text,
	`openbao_mount` text,
	`openbao_path` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `secrets_name_unique` ON `secrets` (`name`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`display_name` text,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_name_unique` ON `users` (`name`);