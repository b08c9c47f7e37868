CREATE TABLE "login_failures" (
	"key" text NOT NULL,
	"failed_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "login_failures_key_idx" ON "login_failures" USING btree ("key","failed_at");--> statement-breakpoint
CREATE INDEX "login_failures_at_idx" ON "login_failures" USING btree ("failed_at");