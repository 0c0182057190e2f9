CREATE TABLE `event_details` (
	`offering_id` text PRIMARY KEY NOT NULL,
	`community_id` text,
	`audience` text DEFAULT 'all' NOT NULL,
	`place_text` text,
	`accessibility` text DEFAULT '[]' NOT NULL,
	`accessibility_note` text,
	`contact` text NOT NULL,
	`signup` integer NOT NULL,
	`recurrence` text,
	`workflow` text NOT NULL,
	`review_note` text,
	`created_by_account_id` text NOT NULL,
	`submitted_at` integer,
	`reviewed_by_account_id` text,
	`reviewed_at` integer,
	`published_at` integer,
	`cancelled_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`offering_id`) REFERENCES `offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "event_details_contact_ck" CHECK(length("event_details"."contact") > 0)
);
--> statement-breakpoint
CREATE INDEX `event_details_queue_idx` ON `event_details` (`workflow`,`community_id`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `event_details_published_idx` ON `event_details` (`workflow`,`published_at`);