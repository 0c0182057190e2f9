-- A booking just made is told to the person it is for — in their own inbox, when they have an
-- account — if someone else made it: a family member acting for them, or staff taking their call
-- or booking them in at the desk. Whoever makes a booking gets no notice of it: they have just
-- seen it confirmed on screen, it is in their bookings, and reminders follow (ADR 004). Before,
-- the one who booked got a notice too — residents an unread notice of what they had just done,
-- staff one for every caller they booked.
-- Same wording and params as before (bookings.routes.ts `formatWhen` words times the same way;
-- test/worker/booked-notices.test.ts compares them). Bookings inserted as history get none.
DROP TRIGGER `bookings_booked_notices`;
--> statement-breakpoint
CREATE TRIGGER `bookings_booked_notices` AFTER INSERT ON `bookings`
WHEN NEW.status IN ('pending', 'confirmed', 'waitlisted') AND NEW.actor_role <> 'self'
BEGIN
  INSERT INTO `notifications` (`id`, `account_id`, `dedupe_key`, `kind`, `title`, `body`, `link`, `params`, `created_at`)
  SELECT
    'ntf_' || substr(NEW.id, 5),
    p.account_id,
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
  WHERE p.id = NEW.person_id
    AND p.account_id IS NOT NULL AND p.account_id IS NOT NEW.actor_account_id
  ON CONFLICT DO NOTHING;
END;
