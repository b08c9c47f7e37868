CREATE TABLE `usage_daily` (
	`day` integer NOT NULL,
	`user` text NOT NULL,
	`llm` text NOT NULL,
	`model` text NOT NULL,
	`calls` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`total_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`unpriced_calls` integer NOT NULL,
	PRIMARY KEY(`day`, `user`, `llm`, `model`)
);
--> statement-breakpoint
CREATE INDEX `usage_daily_user_idx` ON `usage_daily` (`user`,`day`);--> statement-breakpoint
INSERT INTO `usage_daily` (`day`, `user`, `llm`, `model`, `calls`, `prompt_tokens`, `completion_tokens`, `total_tokens`, `cost_usd`, `unpriced_calls`)
SELECT (`ts` / 86400000) * 86400000, coalesce(`user`, ''), coalesce(`llm`, ''), coalesce(`model`, ''), count(*),
	coalesce(sum(`prompt_tokens`), 0), coalesce(sum(`completion_tokens`), 0), coalesce(sum(`total_tokens`), 0), coalesce(sum(`cost_usd`), 0),
	sum(CASE WHEN `cost_usd` IS NULL AND `total_tokens` > 0 THEN 1 ELSE 0 END)
FROM `audit_events` WHERE `event` = 'llm_inference_call'
GROUP BY 1, 2, 3, 4;
