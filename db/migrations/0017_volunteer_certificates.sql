CREATE TABLE `volunteer_certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`minutes` integer NOT NULL,
	`records` integer NOT NULL,
	`real_name` text NOT NULL,
	`id_last4` text NOT NULL,
	`volunteer_number` text NOT NULL,
	`organisation_name` text NOT NULL,
	`status` text DEFAULT 'valid' NOT NULL,
	`issued_at` integer NOT NULL,
	`requested_by_account_id` text,
	`revoked_at` integer,
	`revoked_by_account_id` text,
	`revoke_reason` text,
	FOREIGN KEY (`volunteer_id`) REFERENCES `volunteers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volunteer_certificates_number_unique` ON `volunteer_certificates` (`number`);--> statement-breakpoint
CREATE INDEX `certificates_volunteer_idx` ON `volunteer_certificates` (`volunteer_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `certificates_org_idx` ON `volunteer_certificates` (`organisation_id`,`issued_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_valid_uq` ON `volunteer_certificates` (`volunteer_id`,`organisation_id`,`period_from`,`period_to`) WHERE "volunteer_certificates"."status" = 'valid';--> statement-breakpoint
ALTER TABLE `volunteer_service_records` ADD `flagged` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- The service-record triggers of 0016, made stricter (a review found hours that could be padded):
-- a record opens only for a registered (approved) volunteer, and counts from the shift's start
-- at the earliest; a check-out more than an hour after the shift's end, a shift completed by
-- staff without any check-in, and a check-in closed because the booking was cancelled (the shift
-- called off) are flagged, to be approved one by one; a real check-out after the platform closed
-- a forgotten check-in replaces the platform's end.
DROP TRIGGER IF EXISTS `bookings_volunteer_check_in`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `bookings_volunteer_check_out`;
--> statement-breakpoint
CREATE TRIGGER `bookings_volunteer_check_in` AFTER UPDATE OF `status` ON `bookings`
WHEN NEW.status = 'checked_in' AND OLD.status <> 'checked_in'
BEGIN
  INSERT INTO `volunteer_service_records` (`id`, `volunteer_id`, `organisation_id`, `offering_id`, `slot_id`,
    `booking_id`, `title`, `category`, `started_at`, `source`, `status`, `created_at`, `updated_at`)
  SELECT 'vsr_' || substr(NEW.id, 5), v.id, o.organisation_id, o.id, NEW.slot_id, NEW.id, o.title, o.category,
    max(coalesce(NEW.checked_in_at, NEW.updated_at), s.starts_at), 'check_in', 'open', NEW.updated_at, NEW.updated_at
  FROM `offerings` o JOIN `slots` s ON s.id = NEW.slot_id JOIN `volunteers` v ON v.person_id = NEW.person_id
  WHERE o.id = NEW.offering_id AND o.kind = 'volunteer_shift' AND v.status = 'approved'
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
    `flagged` = CASE WHEN `auto_closed` = 1
      OR coalesce(NEW.completed_at, NEW.updated_at) > (SELECT s.ends_at FROM `slots` s WHERE s.id = NEW.slot_id) + 3600000
      THEN 1 ELSE 0 END,
    `updated_at` = NEW.updated_at
  WHERE `booking_id` = NEW.id AND (`status` = 'open' OR (`status` = 'pending' AND `auto_closed` = 1));
  INSERT INTO `volunteer_service_records` (`id`, `volunteer_id`, `organisation_id`, `offering_id`, `slot_id`,
    `booking_id`, `title`, `category`, `started_at`, `ended_at`, `minutes`, `source`, `status`, `flagged`, `note`,
    `created_at`, `updated_at`)
  SELECT 'vsr_' || substr(NEW.id, 5), v.id, o.organisation_id, o.id, NEW.slot_id, NEW.id, o.title, o.category,
    s.starts_at, s.ends_at, (s.ends_at - s.starts_at) / 60000, 'check_in', 'pending', 1, '未签到，按排班时间记录',
    NEW.updated_at, NEW.updated_at
  FROM `offerings` o JOIN `slots` s ON s.id = NEW.slot_id JOIN `volunteers` v ON v.person_id = NEW.person_id
  WHERE o.id = NEW.offering_id AND o.kind = 'volunteer_shift' AND v.status = 'approved'
  ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_volunteer_called_off` AFTER UPDATE OF `status` ON `bookings`
WHEN NEW.status = 'cancelled' AND OLD.status = 'checked_in'
BEGIN
  UPDATE `volunteer_service_records`
  SET `ended_at` = max(`started_at`, coalesce(NEW.cancelled_at, NEW.updated_at)),
    `minutes` = (max(`started_at`, coalesce(NEW.cancelled_at, NEW.updated_at)) - `started_at`) / 60000,
    `status` = 'pending',
    `flagged` = 1,
    `updated_at` = NEW.updated_at
  WHERE `booking_id` = NEW.id AND `status` = 'open';
END;
