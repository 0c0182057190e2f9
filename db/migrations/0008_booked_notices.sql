-- The inbox notices about a booking just made — to whoever booked it and, when someone else did
-- (a proxy, or staff taking a call), to the person's own account — are written by this trigger,
-- inside the very statement that inserts the booking: every way of making a booking gets them,
-- in the same transaction, worded by the status the insert decided. (Before, each path sent a
-- second statement; on D1 each statement of a batch costs about as much as the write itself —
-- bench/results.md.) Ids follow the booking's (time-ordered) id; the time is Shanghai's
-- (`formatWhen` in bookings.routes.ts; `test/worker/booked-notices.test.ts` compares them).
-- Bookings inserted as history (completed, cancelled, no-show) get none.
CREATE TRIGGER `bookings_booked_notices` AFTER INSERT ON `bookings`
WHEN NEW.status IN ('pending', 'confirmed', 'waitlisted')
BEGIN
  INSERT INTO `notifications` (`id`, `account_id`, `dedupe_key`, `kind`, `title`, `body`, `link`, `params`, `created_at`)
  SELECT
    'ntf_' || substr(NEW.id, 5) || CASE k.n WHEN 0 THEN '' ELSE 'p' END,
    CASE k.n WHEN 0 THEN NEW.actor_account_id ELSE p.account_id END,
    NULL,
    CASE NEW.status WHEN 'waitlisted' THEN 'booking_waitlisted' ELSE 'booking_created' END,
    CASE NEW.status WHEN 'waitlisted' THEN '已加入候补' WHEN 'pending' THEN '预约待确认' ELSE '预约成功' END,
    p.name || '：“' || o.title || '”' || strftime('%m月%d日 %H:%M', s.starts_at / 1000 + 28800, 'unixepoch')
      || CASE NEW.status WHEN 'waitlisted' THEN '，已加入候补，有名额时会通知您。' ELSE '，签到码 ' || NEW.code || '。' END,
    '/bookings/' || NEW.id,
    CASE NEW.status
      WHEN 'waitlisted' THEN json_object('person', p.name, 'offering', o.title, 'startsAt', s.starts_at, 'status', NEW.status)
      ELSE json_object('person', p.name, 'offering', o.title, 'startsAt', s.starts_at, 'code', NEW.code, 'status', NEW.status)
    END,
    NEW.created_at
  FROM `persons` p
    JOIN `offerings` o ON o.id = NEW.offering_id
    JOIN `slots` s ON s.id = NEW.slot_id
    CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1) k
  WHERE p.id = NEW.person_id
    AND (k.n = 0 OR (p.account_id IS NOT NULL AND p.account_id IS NOT NEW.actor_account_id))
  ON CONFLICT DO NOTHING;
END;
