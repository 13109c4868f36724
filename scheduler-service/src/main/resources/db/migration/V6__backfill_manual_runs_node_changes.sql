-- Issue 19: backfills (dagType 3) and manual workflow runs (dagType 5) beside the scheduled DAGs,
-- and the node change events' creation and modification times.

-- A backfill or a manual run of a workflow: what was asked, by whom, and the DAG instances it made.
create table workflow_run (
    id           bigint       primary key,
    dag_type     int          not null check (dag_type in (3, 5)),
    tenant_id    bigint       not null,
    workspace_id bigint       not null,
    workflow_id  bigint       not null references workflow (id),
    name         varchar(160) not null,
    operator     varchar(64)  not null,
    client_token varchar(64),
    request      jsonb        not null,
    -- CHECKING while backfill-data extensions decide (pending_id: the held operation), then CREATED.
    state        varchar(16)  not null,
    pending_id   uuid,
    created_at   timestamptz  not null,
    unique (tenant_id, client_token)
);

-- A run's DAG instances; scheduled DAGs (run_id null) stay one per workflow, business date and type.
alter table dag_instance add column run_id bigint references workflow_run (id);
alter table dag_instance drop constraint dag_instance_workflow_id_biz_date_dag_type_key;
create unique index dag_instance_scheduled on dag_instance (workflow_id, biz_date, dag_type) where run_id is null;
create unique index dag_instance_of_run on dag_instance (run_id, biz_date) where run_id is not null;

-- The DAG type on the instance itself (the engine decides by it), and whether the instance ignores
-- its scheduled time (a manual run, or a backfill's future dates with startFutureInstanceImmediately).
alter table task_instance
    add column dag_type    int     not null default 0,
    add column ignore_time boolean not null default false;
-- A backfill's instance has the scheduled instance's node and time: unique per DAG instance now.
alter table task_instance drop constraint task_instance_node_id_cyc_time_key;
create unique index task_instance_node_time on task_instance (node_id, cyc_time, dag_instance_id);

-- node-change-* events carry when the node was first deployed and last changed.
alter table node
    add column created_at  timestamptz,
    add column modified_at timestamptz;
update node n set created_at = d.deployed_at, modified_at = d.deployed_at
    from (select workflow_id, min(deployed_at) as deployed_at from deployment group by workflow_id) d
    where d.workflow_id = n.workflow_id;
