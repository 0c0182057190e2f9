ALTER TABLE `offerings` ADD `person_types` text;--> statement-breakpoint
ALTER TABLE `persons` ADD `types` text DEFAULT '[]' NOT NULL;