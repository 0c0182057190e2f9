CREATE TABLE `volunteer_team_members` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`status` text NOT NULL,
	`requested_at` integer NOT NULL,
	`decided_by_account_id` text,
	`decided_at` integer,
	`reason` text,
	FOREIGN KEY (`team_id`) REFERENCES `volunteer_teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `volunteers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volunteer_team_members_live_uq` ON `volunteer_team_members` (`team_id`,`volunteer_id`) WHERE "volunteer_team_members"."status" IN ('pending', 'active');--> statement-breakpoint
CREATE INDEX `volunteer_team_members_volunteer_idx` ON `volunteer_team_members` (`volunteer_id`,`status`);--> statement-breakpoint
CREATE TABLE `volunteer_teams` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by_account_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volunteer_teams_org_name_uq` ON `volunteer_teams` (`organisation_id`,`name`);--> statement-breakpoint
CREATE TABLE `volunteers` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`person_id` text NOT NULL,
	`community_id` text NOT NULL,
	`real_name` text NOT NULL,
	`id_last4` text NOT NULL,
	`id_hash` text NOT NULL,
	`birth_date` text NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`skills_note` text,
	`languages` text DEFAULT '[]' NOT NULL,
	`availability` text DEFAULT '[]' NOT NULL,
	`emergency_name` text NOT NULL,
	`emergency_phone` text NOT NULL,
	`emergency_relationship` text NOT NULL,
	`code_version` text NOT NULL,
	`code_agreed_at` integer NOT NULL,
	`guardian_name` text,
	`guardian_phone` text,
	`guardian_relationship` text,
	`guardian_consent_method` text,
	`guardian_consent_note` text,
	`guardian_consent_by_account_id` text,
	`guardian_consent_at` integer,
	`status` text NOT NULL,
	`number` text,
	`seq` integer,
	`decided_by_account_id` text,
	`decided_at` integer,
	`reason` text,
	`on_leaderboard` integer DEFAULT false NOT NULL,
	`applied_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`guardian_consent_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volunteers_account_id_unique` ON `volunteers` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `volunteers_number_unique` ON `volunteers` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `volunteers_seq_unique` ON `volunteers` (`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `volunteers_id_hash_live_uq` ON `volunteers` (`id_hash`) WHERE "volunteers"."status" IN ('pending', 'approved', 'suspended');--> statement-breakpoint
CREATE INDEX `volunteers_community_status_idx` ON `volunteers` (`community_id`,`status`,`applied_at`);