-- One open slot per service and start time (a series run twice, a repeated tap or two staff at
-- once could double a time before; residents saw it twice). Cancelled slots are not counted: a
-- time called off can be offered again.
CREATE UNIQUE INDEX `slots_open_time_uq` ON `slots` (`offering_id`,`starts_at`) WHERE "slots"."status" = 'open';
