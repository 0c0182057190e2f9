CREATE TABLE `clinic_departments` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`services` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clinic_departments_name_uq` ON `clinic_departments` (`organisation_id`,`name`);--> statement-breakpoint
CREATE TABLE `doctors` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`department_id` text NOT NULL,
	`name` text NOT NULL,
	`title` text NOT NULL,
	`specialty` text DEFAULT '' NOT NULL,
	`profile` text DEFAULT '' NOT NULL,
	`account_id` text,
	`meeting_link` text,
	`schedule` text DEFAULT '[]' NOT NULL,
	`clinic_offering_id` text,
	`teleconsult_offering_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `clinic_departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clinic_offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teleconsult_offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `doctors_org_idx` ON `doctors` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `doctors_account_idx` ON `doctors` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `doctors_clinic_offering_uq` ON `doctors` (`clinic_offering_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `doctors_teleconsult_offering_uq` ON `doctors` (`teleconsult_offering_id`);--> statement-breakpoint
CREATE TABLE `family_doctor_signings` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`requested_by_account_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`decision_note` text,
	`decided_by_account_id` text,
	`requested_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `family_doctor_signings_org_idx` ON `family_doctor_signings` (`organisation_id`,`status`,`requested_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `family_doctor_signings_active_uq` ON `family_doctor_signings` (`person_id`) WHERE "family_doctor_signings"."status" IN ('requested', 'accepted');--> statement-breakpoint
CREATE TABLE `teleconsult_notes` (
	`booking_id` text PRIMARY KEY NOT NULL,
	`consent_at` integer,
	`consent_version` text,
	`consent_by_account_id` text,
	`withdrawn_at` integer,
	`symptoms` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consent_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
