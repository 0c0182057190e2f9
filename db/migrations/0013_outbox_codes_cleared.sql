-- Sign-in codes are not kept in clear once they no longer work: the cron (worker/scheduled.ts)
-- replaces the text and variables of every `otp` message over an hour old. This index holds the
-- ones still to clear; messages from before 0012 (no params) join it with empty params.
UPDATE `outbox` SET `params` = '{}' WHERE `template` = 'otp' AND `params` IS NULL;
--> statement-breakpoint
CREATE INDEX `outbox_codes_idx` ON `outbox` (`created_at`) WHERE "outbox"."template" = 'otp' AND "outbox"."params" IS NOT NULL;
