CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor_account_id` text,
	`action` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`person_id` text,
	`detail` text,
	`request_id` text,
	`ip` text,
	FOREIGN KEY (`actor_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_subject_idx` ON `audit_log` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE TABLE `otp_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`consumed_at` integer,
	`ip` text
);
--> statement-breakpoint
CREATE INDEX `otp_codes_phone_created_idx` ON `otp_codes` (`phone`,`created_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`template` text NOT NULL,
	`body` text NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_recipient_created_idx` ON `outbox` (`recipient`,`created_at`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`revoked_at` integer,
	`user_agent` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_account_idx` ON `sessions` (`account_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`display_name` text,
	`community_id` text,
	`compound_id` text,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`elder_mode` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`last_login_at` integer,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`compound_id`) REFERENCES `compounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_phone_unique` ON `accounts` (`phone`);--> statement-breakpoint
CREATE TABLE `persons` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`name` text NOT NULL,
	`birth_date` text,
	`gender` text DEFAULT 'unspecified' NOT NULL,
	`phone` text,
	`community_id` text,
	`compound_id` text,
	`address` text,
	`id_last4` text,
	`id_hash` text,
	`notes` text,
	`created_by_account_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`compound_id`) REFERENCES `compounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `persons_account_uq` ON `persons` (`account_id`) WHERE "persons"."account_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `persons_id_hash_uq` ON `persons` (`id_hash`) WHERE "persons"."id_hash" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `persons_community_idx` ON `persons` (`community_id`);--> statement-breakpoint
CREATE TABLE `proxy_links` (
	`id` text PRIMARY KEY NOT NULL,
	`proxy_account_id` text NOT NULL,
	`person_id` text NOT NULL,
	`relationship` text NOT NULL,
	`scope` text DEFAULT 'all' NOT NULL,
	`status` text NOT NULL,
	`requested_by_account_id` text NOT NULL,
	`consent_method` text,
	`consent_recorded_by_account_id` text,
	`consent_recorded_at` integer,
	`consent_note` text,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`revoked_at` integer,
	`revoked_by_account_id` text,
	`revoke_reason` text,
	FOREIGN KEY (`proxy_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consent_recorded_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `proxy_links_proxy_idx` ON `proxy_links` (`proxy_account_id`);--> statement-breakpoint
CREATE INDEX `proxy_links_person_idx` ON `proxy_links` (`person_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `proxy_links_live_uq` ON `proxy_links` (`proxy_account_id`,`person_id`) WHERE "proxy_links"."status" IN ('pending', 'active');--> statement-breakpoint
CREATE TABLE `role_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`role` text NOT NULL,
	`scope_type` text NOT NULL,
	`community_id` text,
	`organisation_id` text,
	`scope_key` text NOT NULL,
	`granted_by_account_id` text,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by_account_id` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `role_grants_account_idx` ON `role_grants` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `role_grants_active_uq` ON `role_grants` (`account_id`,`role`,`scope_key`) WHERE "role_grants"."revoked_at" IS NULL;--> statement-breakpoint
CREATE TABLE `communities` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`address` text,
	`phone` text,
	`lat` real NOT NULL,
	`lng` real NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `communities_code_unique` ON `communities` (`code`);--> statement-breakpoint
CREATE TABLE `compounds` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`grid_cell_id` text,
	`name` text NOT NULL,
	`address` text,
	`lat` real NOT NULL,
	`lng` real NOT NULL,
	`households` integer DEFAULT 0 NOT NULL,
	`residents` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`grid_cell_id`) REFERENCES `grid_cells`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `compounds_community_idx` ON `compounds` (`community_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `compounds_community_name_uq` ON `compounds` (`community_id`,`name`);--> statement-breakpoint
CREATE TABLE `grid_cells` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `grid_cells_code_unique` ON `grid_cells` (`code`);--> statement-breakpoint
CREATE INDEX `grid_cells_community_idx` ON `grid_cells` (`community_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text,
	`community_id` text,
	`address` text,
	`phone` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_name_unique` ON `organisations` (`name`);--> statement-breakpoint
CREATE INDEX `organisations_community_idx` ON `organisations` (`community_id`);