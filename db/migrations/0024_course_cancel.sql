ALTER TABLE `course_details` ADD `cancelled_at` integer;--> statement-breakpoint
ALTER TABLE `course_details` ADD `cancel_reason` text;