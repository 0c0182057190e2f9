CREATE TABLE `facilities` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`lat` real NOT NULL,
	`lng` real NOT NULL,
	`address` text,
	`phone` text,
	`community_id` text,
	`organisation_id` text,
	`services` text NOT NULL,
	`step_free` integer DEFAULT false NOT NULL,
	`lift` integer DEFAULT false NOT NULL,
	`accessible_toilet` integer DEFAULT false NOT NULL,
	`opening_hours` text NOT NULL,
	`notes` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by_account_id` text,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `facilities_lat_idx` ON `facilities` (`lat`);--> statement-breakpoint
CREATE INDEX `facilities_kind_idx` ON `facilities` (`kind`);--> statement-breakpoint
CREATE INDEX `facilities_community_idx` ON `facilities` (`community_id`);--> statement-breakpoint
CREATE TABLE `walk_distances` (
	`compound_id` text NOT NULL,
	`facility_id` text NOT NULL,
	`metres` integer NOT NULL,
	PRIMARY KEY(`compound_id`, `facility_id`),
	FOREIGN KEY (`compound_id`) REFERENCES `compounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `walk_distances_facility_idx` ON `walk_distances` (`facility_id`);--> statement-breakpoint
CREATE TABLE `walk_members` (
	`member_type` text NOT NULL,
	`member_id` text NOT NULL,
	`node` integer NOT NULL,
	`snap_metres` real NOT NULL,
	PRIMARY KEY(`member_type`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `walk_networks` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`graph` text NOT NULL,
	`node_count` integer NOT NULL,
	`edge_count` integer NOT NULL,
	`imported_at` integer NOT NULL,
	`imported_by_account_id` text,
	FOREIGN KEY (`imported_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
