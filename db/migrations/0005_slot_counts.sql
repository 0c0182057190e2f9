ALTER TABLE `slots` ADD `held_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `slots` ADD `waitlist_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Held places and waitlist length per slot, kept by triggers inside every booking write's own
-- statement (so a conditional insert reads them atomically). "Held" = pending, confirmed,
-- checked_in, completed; bookings never change slot.
UPDATE `slots` SET
  `held_count` = (SELECT count(*) FROM `bookings` b WHERE b.slot_id = slots.id AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed')),
  `waitlist_count` = (SELECT count(*) FROM `bookings` b WHERE b.slot_id = slots.id AND b.status = 'waitlisted');
--> statement-breakpoint
CREATE TRIGGER `bookings_counts_insert` AFTER INSERT ON `bookings`
BEGIN
  UPDATE `slots` SET
    `held_count` = `held_count` + (NEW.status IN ('pending', 'confirmed', 'checked_in', 'completed')),
    `waitlist_count` = `waitlist_count` + (NEW.status = 'waitlisted')
  WHERE `id` = NEW.slot_id;
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_counts_update` AFTER UPDATE OF `status` ON `bookings`
WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE `slots` SET
    `held_count` = `held_count` + (NEW.status IN ('pending', 'confirmed', 'checked_in', 'completed'))
                                - (OLD.status IN ('pending', 'confirmed', 'checked_in', 'completed')),
    `waitlist_count` = `waitlist_count` + (NEW.status = 'waitlisted') - (OLD.status = 'waitlisted')
  WHERE `id` = NEW.slot_id;
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_counts_delete` AFTER DELETE ON `bookings`
BEGIN
  UPDATE `slots` SET
    `held_count` = `held_count` - (OLD.status IN ('pending', 'confirmed', 'checked_in', 'completed')),
    `waitlist_count` = `waitlist_count` - (OLD.status = 'waitlisted')
  WHERE `id` = OLD.slot_id;
END;
