CREATE TABLE "usage_daily" (
	"day" bigint NOT NULL,
	"user" text NOT NULL,
	"llm" text NOT NULL,
	"model" text NOT NULL,
	"calls" bigint NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"total_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	"unpriced_calls" bigint NOT NULL,
	CONSTRAINT "usage_daily_day_user_llm_model_pk" PRIMARY KEY("day","user","llm","model")
);
--> statement-breakpoint
CREATE INDEX "usage_daily_user_idx" ON "usage_daily" USING btree ("user","day");--> statement-breakpoint
INSERT INTO "usage_daily" ("day", "user", "llm", "model", "calls", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "unpriced_calls")
SELECT ("ts" / 86400000) * 86400000, coalesce("user", ''), coalesce("llm", ''), coalesce("model", ''), count(*),
	coalesce(sum("prompt_tokens"), 0), coalesce(sum("completion_tokens"), 0), coalesce(sum("total_tokens"), 0), coalesce(sum("cost_usd"), 0),
	sum(CASE WHEN "cost_usd" IS NULL AND "total_tokens" > 0 THEN 1 ELSE 0 END)
FROM "audit_events" WHERE "event" = 'llm_inference_call'
GROUP BY 1, 2, 3, 4;
