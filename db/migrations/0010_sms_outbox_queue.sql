-- Text messages are queued in the transaction that decides them and sent after the answer (ADR 005).
-- Before, a notice's SMS was handed to the provider inside the request, after the change it told of
-- had been committed: a provider failing (or misconfigured) made the request answer 500 for a change
-- already made, and a retry then met a conflict. Now a notice marked `sms` queues its message in
-- `outbox` through the trigger below — the same statement, so the same transaction — and
-- `deliverOutbox` (worker/lib/sms.ts) sends what is due once the answer is out, and again from the
-- cron, with retries. The outbox is rebuilt for that: `provider` is known only when sent, and a
-- message now has attempts, a due time (the next try, or when a claim on it lapses) and an optional
-- expiry (a sign-in code's). Messages recorded before were sent in one attempt. (No foreign keys point at `outbox` and it has none.)
CREATE TABLE `__new_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`template` text NOT NULL,
	`body` text NOT NULL,
	`provider` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`due_at` integer,
	`expires_at` integer
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "channel", "recipient", "template", "body", "provider", "status", "created_at", "sent_at", "error", "attempts", "due_at")
SELECT "id", "channel", "recipient", "template", "body", "provider", "status", "created_at", "sent_at", "error",
  CASE WHEN "status" = 'queued' THEN 0 ELSE 1 END, CASE WHEN "status" = 'queued' THEN "created_at" END
FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
CREATE INDEX `outbox_recipient_created_idx` ON `outbox` (`recipient`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`due_at`) WHERE "outbox"."status" IN ('queued', 'sending');--> statement-breakpoint
ALTER TABLE `notifications` ADD `sms` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- A texted notice queues its SMS to the account's phone: only when the notice is written, so a
-- notice deduplicated away (ON CONFLICT DO NOTHING: a second cron run, a repeated cancel) sends
-- nothing twice. Same id after the prefix as the notice it tells. A notice about a service (its
-- params name the start) is not texted once the service has begun: a reminder or a cancellation
-- that could not go out in time is no use after it.
CREATE TRIGGER `notifications_texted` AFTER INSERT ON `notifications`
WHEN NEW.sms = 1
BEGIN
  INSERT INTO `outbox` (`id`, `channel`, `recipient`, `template`, `body`, `status`, `created_at`, `attempts`, `due_at`, `expires_at`)
  SELECT 'msg_' || substr(NEW.id, 5), 'sms', a.phone, NEW.kind, '【邻里】' || NEW.body, 'queued', NEW.created_at, 0, NEW.created_at,
    json_extract(NEW.params, '$.startsAt')
  FROM `accounts` a
  WHERE a.id = NEW.account_id;
END;
