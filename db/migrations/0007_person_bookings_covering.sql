DROP INDEX `bookings_person_idx`;--> statement-breakpoint
CREATE INDEX `bookings_person_idx` ON `bookings` (`person_id`,`offering_id`,`status`,`slot_id`,`created_at`,`id`);