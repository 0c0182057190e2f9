CREATE TABLE `volunteer_assessment_runs` (
	`period` text PRIMARY KEY NOT NULL,
	`settings_id` text,
	`settings` text NOT NULL,
	`final` integer NOT NULL,
	`assessed` integer NOT NULL,
	`computed_by_account_id` text,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`settings_id`) REFERENCES `volunteer_assessment_settings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`computed_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `volunteer_assessment_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`hours_weight` integer NOT NULL,
	`rating_weight` integer NOT NULL,
	`team_weight` integer NOT NULL,
	`no_show_penalty` integer NOT NULL,
	`quarter_target_hours` integer NOT NULL,
	`star_thresholds` text NOT NULL,
	`created_by_account_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `volunteer_assessments` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`community_id` text NOT NULL,
	`minutes` integer NOT NULL,
	`rating_count` integer NOT NULL,
	`rating_average` real,
	`team_count` integer NOT NULL,
	`team_average` real,
	`no_shows` integer NOT NULL,
	`score` real NOT NULL,
	`stars` integer NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`period`) REFERENCES `volunteer_assessment_runs`(`period`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `volunteers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessments_period_volunteer_uq` ON `volunteer_assessments` (`period`,`volunteer_id`);--> statement-breakpoint
CREATE INDEX `assessments_volunteer_idx` ON `volunteer_assessments` (`volunteer_id`,`period`);--> statement-breakpoint
CREATE INDEX `assessments_community_idx` ON `volunteer_assessments` (`community_id`,`period`);--> statement-breakpoint
CREATE TABLE `volunteer_service_ratings` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`person_id` text NOT NULL,
	`stars` integer NOT NULL,
	`comment` text,
	`rated_by_account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `volunteer_service_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `volunteers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rated_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "service_ratings_stars_ck" CHECK("volunteer_service_ratings"."stars" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volunteer_service_ratings_record_id_unique` ON `volunteer_service_ratings` (`record_id`);--> statement-breakpoint
CREATE INDEX `service_ratings_volunteer_idx` ON `volunteer_service_ratings` (`volunteer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `volunteer_team_evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`period` text NOT NULL,
	`punctuality` integer NOT NULL,
	`attitude` integer NOT NULL,
	`skill` integer NOT NULL,
	`comment` text,
	`evaluated_by_account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `volunteer_teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `volunteers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluated_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "team_evaluations_scores_ck" CHECK("volunteer_team_evaluations"."punctuality" BETWEEN 1 AND 5 AND "volunteer_team_evaluations"."attitude" BETWEEN 1 AND 5 AND "volunteer_team_evaluations"."skill" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_evaluations_uq` ON `volunteer_team_evaluations` (`team_id`,`volunteer_id`,`period`);--> statement-breakpoint
CREATE INDEX `team_evaluations_volunteer_idx` ON `volunteer_team_evaluations` (`volunteer_id`,`period`);--> statement-breakpoint
ALTER TABLE `volunteer_service_records` ADD `served_person_id` text REFERENCES persons(id);--> statement-breakpoint
CREATE INDEX `service_records_served_idx` ON `volunteer_service_records` (`served_person_id`,`started_at`) WHERE "volunteer_service_records"."served_person_id" IS NOT NULL;