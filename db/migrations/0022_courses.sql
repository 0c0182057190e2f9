CREATE TABLE `course_attendance` (
	`session_id` text NOT NULL,
	`booking_id` text NOT NULL,
	`present` integer NOT NULL,
	`recorded_by_account_id` text NOT NULL,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `booking_id`),
	FOREIGN KEY (`session_id`) REFERENCES `course_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `course_attendance_booking_idx` ON `course_attendance` (`booking_id`);--> statement-breakpoint
CREATE TABLE `course_certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`booking_id` text NOT NULL,
	`offering_id` text NOT NULL,
	`person_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`person_name` text NOT NULL,
	`course_title` text NOT NULL,
	`organisation_name` text NOT NULL,
	`sessions_attended` integer NOT NULL,
	`sessions_held` integer NOT NULL,
	`completed_on` text NOT NULL,
	`status` text DEFAULT 'valid' NOT NULL,
	`issued_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_certificates_number_unique` ON `course_certificates` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `course_certificates_booking_uq` ON `course_certificates` (`booking_id`) WHERE "course_certificates"."status" = 'valid';--> statement-breakpoint
CREATE INDEX `course_certificates_person_idx` ON `course_certificates` (`person_id`);--> statement-breakpoint
CREATE TABLE `course_details` (
	`offering_id` text PRIMARY KEY NOT NULL,
	`slot_id` text NOT NULL,
	`mode` text NOT NULL,
	`place_text` text,
	`online_link` text,
	`eligibility` text DEFAULT '' NOT NULL,
	`completion_percent` integer NOT NULL,
	`certificate` integer NOT NULL,
	`contact` text NOT NULL,
	`created_by_account_id` text NOT NULL,
	`completed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `course_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`offering_id` text NOT NULL,
	`seq` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_sessions_seq_uq` ON `course_sessions` (`offering_id`,`seq`);