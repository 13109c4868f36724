-- Issue 6: running shell nodes, resource-group accounting, instance operations and expiry.

-- Node run settings (copied from the deployed definition).
alter table node
    add column retries          int   not null default 0,
    add column retry_delay_ms   bigint not null default 60000,
    add column timeout_seconds  int,
    add column parameters       jsonb not null default '{}';

-- attempt counts every run of the instance (never reset, so (instance, attempt) names one run);
-- retries_used counts automatic retries since the last start or operator rerun.
alter table task_instance
    add column attempt       int         not null default 0,
    add column retries_used  int         not null default 0,
    add column not_before    timestamptz,
    add column run_owner     varchar(64),
    add column lease_until   timestamptz;

-- The dispatcher's queue per group: highest priority first, then the longest waiting.
create index task_instance_waiting_resource on task_instance (resource_group, priority desc, begin_wait_res_time, id) where status = 3;
-- Slot accounting: running instances per group, and leases to recover after a replica died.
create index task_instance_running on task_instance (resource_group, lease_until) where status = 4;
-- Expiry walks instances by scheduled time.
create index task_instance_cyc_time on task_instance (cyc_time);

-- One row per run (attempt) of an instance: who ran it, how it ended, and its bounded log.
create table task_instance_run (
    instance_id     bigint      not null references task_instance (id) on delete cascade,
    attempt         int         not null,
    runner          varchar(64) not null,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    exit_code       int,
    outcome         varchar(16),
    log             text,
    log_dropped_bytes bigint    not null default 0,
    primary key (instance_id, attempt)
);

-- Audit of operator actions (and expiry batches): who did what to which instances.
create table instance_operation (
    id            uuid        primary key,
    operation     varchar(48) not null,
    tenant_id     bigint      not null,
    workspace_id  bigint      not null,
    env           varchar(4)  not null,
    operator      varchar(64) not null,
    instance_ids  bigint[]    not null,
    detail        jsonb,
    operated_at   timestamptz not null
);
create index instance_operation_workspace on instance_operation (workspace_id, operated_at);

-- Wakes every replica's dispatcher when its work may have changed: an instance started waiting
-- for a slot (or was unfrozen while waiting), or a slot was freed. NOTIFY is delivered at commit,
-- and identical notifications of one transaction are folded into one.
create function task_instance_dispatch_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('scheduler_dispatch', '');
    return null;
end $$;
-- The WHEN clause keeps every other update (most of them) from calling the function at all.
create trigger task_instance_dispatch after update of status, frozen, not_before on task_instance
    for each row
    when ((new.status = 3 and (old.status <> 3 or old.frozen <> new.frozen or old.not_before is distinct from new.not_before))
          or (old.status = 4 and new.status <> 4))
    execute function task_instance_dispatch_notify();
