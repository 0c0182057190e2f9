-- A text message keeps its variables (the code, the service, its start, …) beside its text, so a
-- provider that sends registered templates filled in (Aliyun SMS: worker/lib/sms-aliyun.ts; mainland
-- carriers accept nothing else) can send it. A texted notice's message takes the notice's params,
-- and its template is the notice's kind — with ':pending' when the params say the booking awaits
-- confirmation (a reminder then has no check-in code: another registered template). Otherwise the
-- trigger is 0010's.
ALTER TABLE `outbox` ADD `params` text;
--> statement-breakpoint
DROP TRIGGER `notifications_texted`;
--> statement-breakpoint
CREATE TRIGGER `notifications_texted` AFTER INSERT ON `notifications`
WHEN NEW.sms = 1
BEGIN
  INSERT INTO `outbox` (`id`, `channel`, `recipient`, `template`, `body`, `params`, `status`, `created_at`, `attempts`, `due_at`, `expires_at`)
  SELECT 'msg_' || substr(NEW.id, 5), 'sms', a.phone,
    NEW.kind || CASE WHEN json_extract(NEW.params, '$.status') = 'pending' THEN ':pending' ELSE '' END,
    '【邻里】' || NEW.body, NEW.params, 'queued', NEW.created_at, 0, NEW.created_at,
    json_extract(NEW.params, '$.startsAt')
  FROM `accounts` a
  WHERE a.id = NEW.account_id;
END;
