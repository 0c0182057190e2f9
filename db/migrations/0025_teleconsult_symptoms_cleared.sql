-- A tele-consultation called off keeps no health data: when its booking is cancelled (by the
-- patient, a proxy, the clinic or a cancelled slot — every path), its symptoms are deleted in the
-- same statement. drizzle-kit does not know triggers; test/worker/clinics.test.ts checks it.
CREATE TRIGGER `bookings_teleconsult_symptoms_cleared`
AFTER UPDATE OF `status` ON `bookings`
WHEN NEW.`status` = 'cancelled' AND OLD.`status` <> 'cancelled'
BEGIN
  UPDATE `teleconsult_notes` SET `symptoms` = NULL, `updated_at` = NEW.`updated_at`
  WHERE `booking_id` = NEW.`id` AND `symptoms` IS NOT NULL;
END;
