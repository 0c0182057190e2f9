CREATE TABLE `volunteer_service_records` (
	`id` text PRIMARY KEY NOT NULL,
	`volunteer_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`offering_id` text,
	`slot_id` text,
	`booking_id` text,
	`title` text NOT NULL,
	`category` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`minutes` integer,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`auto_closed` integer DEFAULT false NOT NULL,
	`note` text,
	`reason` text,
	`recorded_by_account_id` text,
	`decided_by_account_id` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`volunteer_id`) REFERENCES `volunteers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_records_volunteer_idx` ON `volunteer_service_records` (`volunteer_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `service_records_org_idx` ON `volunteer_service_records` (`organisation_id`,`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `service_records_slot_idx` ON `volunteer_service_records` (`slot_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `service_records_booking_uq` ON `volunteer_service_records` (`booking_id`) WHERE "volunteer_service_records"."booking_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `service_records_open_idx` ON `volunteer_service_records` (`started_at`) WHERE "volunteer_service_records"."status" = 'open';--> statement-breakpoint
ALTER TABLE `offerings` ADD `team_id` text REFERENCES volunteer_teams(id);--> statement-breakpoint
ALTER TABLE `offerings` ADD `skills` text;--> statement-breakpoint
ALTER TABLE `slots` ADD `shift_code` text;--> statement-breakpoint
CREATE INDEX `volunteers_person_idx` ON `volunteers` (`person_id`);
--> statement-breakpoint
-- A volunteer's service record follows their shift booking, whichever way it is checked in or
-- out (the volunteer typing the shift's code, or staff at the desk): checking in opens the record
-- (from the check-in time), checking out — the booking completed — closes it and leaves it
-- pending for the shift's organisation to approve. A shift booking completed without a check-in
-- gets a pending record of the shift's scheduled times, noted as such, for staff to review.
-- (drizzle-kit does not know triggers: a migration that rebuilds `bookings` must create these
-- again; test/worker/volunteer-shifts.test.ts checks them.)
CREATE TRIGGER `bookings_volunteer_check_in` AFTER UPDATE OF `status` ON `bookings`
WHEN NEW.status = 'checked_in' AND OLD.status <> 'checked_in'
BEGIN
  INSERT INTO `volunteer_service_records` (`id`, `volunteer_id`, `organisation_id`, `offering_id`, `slot_id`,
    `booking_id`, `title`, `category`, `started_at`, `source`, `status`, `created_at`, `updated_at`)
  SELECT 'vsr_' || substr(NEW.id, 5), v.id, o.organisation_id, o.id, NEW.slot_id, NEW.id, o.title, o.category,
    coalesce(NEW.checked_in_at, NEW.updated_at), 'check_in', 'open', NEW.updated_at, NEW.updated_at
  FROM `offerings` o JOIN `volunteers` v ON v.person_id = NEW.person_id
  WHERE o.id = NEW.offering_id AND o.kind = 'volunteer_shift'
  ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_volunteer_check_out` AFTER UPDATE OF `status` ON `bookings`
WHEN NEW.status = 'completed' AND OLD.status <> 'completed'
BEGIN
  UPDATE `volunteer_service_records`
  SET `ended_at` = max(`started_at`, coalesce(NEW.completed_at, NEW.updated_at)),
    `minutes` = (max(`started_at`, coalesce(NEW.completed_at, NEW.updated_at)) - `started_at`) / 60000,
    `status` = 'pending',
    `updated_at` = NEW.updated_at
  WHERE `booking_id` = NEW.id AND `status` = 'open';
  INSERT INTO `volunteer_service_records` (`id`, `volunteer_id`, `organisation_id`, `offering_id`, `slot_id`,
    `booking_id`, `title`, `category`, `started_at`, `ended_at`, `minutes`, `source`, `status`, `note`,
    `created_at`, `updated_at`)
  SELECT 'vsr_' || substr(NEW.id, 5), v.id, o.organisation_id, o.id, NEW.slot_id, NEW.id, o.title, o.category,
    s.starts_at, s.ends_at, (s.ends_at - s.starts_at) / 60000, 'check_in', 'pending', '未签到，按排班时间记录',
    NEW.updated_at, NEW.updated_at
  FROM `offerings` o JOIN `slots` s ON s.id = NEW.slot_id JOIN `volunteers` v ON v.person_id = NEW.person_id
  WHERE o.id = NEW.offering_id AND o.kind = 'volunteer_shift'
  ON CONFLICT DO NOTHING;
END;
