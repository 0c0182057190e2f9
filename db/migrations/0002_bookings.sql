CREATE TABLE `bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`slot_id` text NOT NULL,
	`offering_id` text NOT NULL,
	`person_id` text NOT NULL,
	`actor_account_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`channel` text DEFAULT 'app' NOT NULL,
	`status` text NOT NULL,
	`code` text NOT NULL,
	`notes` text,
	`address` text,
	`assigned_account_id` text,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`promoted_at` integer,
	`cancelled_at` integer,
	`cancelled_by_account_id` text,
	`checked_in_at` integer,
	`completed_at` integer,
	`rating` integer,
	`rating_comment` text,
	`rated_at` integer,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_person_slot_active_uq` ON `bookings` (`slot_id`,`person_id`) WHERE "bookings"."status" IN ('pending', 'confirmed', 'waitlisted', 'checked_in');--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_idempotency_uq` ON `bookings` (`actor_account_id`,`idempotency_key`) WHERE "bookings"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_code_uq` ON `bookings` (`code`);--> statement-breakpoint
CREATE INDEX `bookings_slot_status_idx` ON `bookings` (`slot_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `bookings_person_idx` ON `bookings` (`person_id`,`status`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`dedupe_key` text,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_account_idx` ON `notifications` (`account_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_dedupe_uq` ON `notifications` (`account_id`,`dedupe_key`) WHERE "notifications"."dedupe_key" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `offerings` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`facility_id` text,
	`kind` text NOT NULL,
	`category` text,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`price_fen` integer DEFAULT 0 NOT NULL,
	`subsidy_note` text,
	`min_age` integer,
	`communities` text,
	`priority_age` integer,
	`priority_days` integer DEFAULT 0 NOT NULL,
	`opens_days_before` integer DEFAULT 14 NOT NULL,
	`closes_hours_before` integer DEFAULT 0 NOT NULL,
	`cancel_cutoff_hours` integer DEFAULT 0 NOT NULL,
	`waitlist` integer DEFAULT true NOT NULL,
	`max_active_per_person` integer DEFAULT 3 NOT NULL,
	`requires_confirmation` integer DEFAULT false NOT NULL,
	`requires_address` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`facility_id`) REFERENCES `facilities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `offerings_org_idx` ON `offerings` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `offerings_kind_idx` ON `offerings` (`kind`,`status`);--> statement-breakpoint
CREATE TABLE `slots` (
	`id` text PRIMARY KEY NOT NULL,
	`offering_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`capacity` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`series_id` text,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `slots_offering_start_idx` ON `slots` (`offering_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `slots_start_idx` ON `slots` (`starts_at`);