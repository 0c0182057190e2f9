-- One open slot per service and start time (a series run twice, a repeated tap or two staff at
-- once could double a time before; residents saw it twice). Cancelled slots are not counted: a
-- time called off can be offered again.
-- Doubles already there: an empty one (no active booking) is cancelled when the same time has an
-- open slot with bookings or an older one, so one stays. Two with bookings each are left for staff
-- (cancelling one tells its people), and the index then refuses: see README, "Deploying".
UPDATE `slots` SET `status` = 'cancelled', `updated_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE `status` = 'open'
  AND NOT EXISTS (SELECT 1 FROM `bookings` b WHERE b.slot_id = `slots`.id
                    AND b.status IN ('pending', 'confirmed', 'waitlisted', 'checked_in'))
  AND EXISTS (SELECT 1 FROM `slots` o
              WHERE o.offering_id = `slots`.offering_id AND o.starts_at = `slots`.starts_at
                AND o.status = 'open' AND o.id <> `slots`.id
                AND (o.rowid < `slots`.rowid
                     OR EXISTS (SELECT 1 FROM `bookings` b2 WHERE b2.slot_id = o.id
                                  AND b2.status IN ('pending', 'confirmed', 'waitlisted', 'checked_in'))));
--> statement-breakpoint
CREATE UNIQUE INDEX `slots_open_time_uq` ON `slots` (`offering_id`,`starts_at`) WHERE "slots"."status" = 'open';
