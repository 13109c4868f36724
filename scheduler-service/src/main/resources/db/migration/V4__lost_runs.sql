-- A crash never fails work by itself (README, "Crashes and runs"): a run whose process never
-- started is dispatched again without counting; a run lost with its replica is retried on top of
-- the node's own retries, lost_retries times (the node's setting, else scheduler.runner.lost-retries).
alter table task_instance_run add column process_started_at timestamptz;
alter table task_instance add column lost_retries_used int not null default 0;
alter table node add column lost_retries int;
