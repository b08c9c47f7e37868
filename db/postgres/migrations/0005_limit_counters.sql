CREATE TABLE "limit_counters" (
	"limit_id" integer NOT NULL,
	"subject" text NOT NULL,
	"window_start" bigint NOT NULL,
	"window_end" bigint,
	"used" double precision NOT NULL,
	"notified" integer NOT NULL,
	CONSTRAINT "limit_counters_limit_id_subject_window_start_pk" PRIMARY KEY("limit_id","subject","window_start")
);
--> statement-breakpoint
CREATE TABLE "limit_grants" (
	"replica" text NOT NULL,
	"limit_id" integer NOT NULL,
	"subject" text NOT NULL,
	"window_start" bigint NOT NULL,
	"amount" double precision NOT NULL,
	"reserved" double precision NOT NULL,
	CONSTRAINT "limit_grants_replica_limit_id_subject_window_start_pk" PRIMARY KEY("replica","limit_id","subject","window_start")
);
--> statement-breakpoint
CREATE TABLE "limit_replicas" (
	"id" text PRIMARY KEY NOT NULL,
	"heartbeat_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "limit_counters" ADD CONSTRAINT "limit_counters_limit_id_limits_id_fk" FOREIGN KEY ("limit_id") REFERENCES "public"."limits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "limit_grants" ADD CONSTRAINT "limit_grants_limit_id_limits_id_fk" FOREIGN KEY ("limit_id") REFERENCES "public"."limits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "limit_counters_end_idx" ON "limit_counters" USING btree ("window_end");--> statement-breakpoint
CREATE INDEX "limit_grants_counter_idx" ON "limit_grants" USING btree ("limit_id","subject","window_start");