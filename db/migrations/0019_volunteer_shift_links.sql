ALTER TABLE `offerings` ADD `supports_offering_id` text REFERENCES offerings(id);--> statement-breakpoint
ALTER TABLE `slots` ADD `served_person_id` text REFERENCES persons(id);--> statement-breakpoint
-- A service record of a shift time that serves one person (a home visit) names that person, so
-- they can rate it; written whichever way the record began (check-in, desk, paper sheet).
CREATE TRIGGER `service_records_served_from_slot` AFTER INSERT ON `volunteer_service_records`
WHEN NEW.slot_id IS NOT NULL AND NEW.served_person_id IS NULL
BEGIN
  UPDATE `volunteer_service_records`
  SET `served_person_id` = (SELECT s.served_person_id FROM `slots` s WHERE s.id = NEW.slot_id)
  WHERE `id` = NEW.id AND (SELECT s.served_person_id FROM `slots` s WHERE s.id = NEW.slot_id) IS NOT NULL
    -- never the volunteer as the person they served
    AND (SELECT s.served_person_id FROM `slots` s WHERE s.id = NEW.slot_id)
      IS NOT (SELECT v.person_id FROM `volunteers` v WHERE v.id = NEW.volunteer_id);
END;
