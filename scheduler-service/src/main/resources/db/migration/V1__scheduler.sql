create sequence entity_id_seq start with 100000;

-- Workflow definitions (drafts). A deploy snapshots the definition into deployment.
create table workflow (
    id               bigint       primary key,
    tenant_id        bigint       not null,
    workspace_id     bigint       not null,
    env              varchar(4)   not null,
    name             varchar(128) not null,
    owner            varchar(64)  not null,
    time_zone        varchar(64)  not null,
    definition       jsonb        not null,
    deployed_version int,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    unique (workspace_id, env, name)
);

create table deployment (
    workflow_id bigint      not null references workflow (id),
    version     int         not null,
    definition  jsonb       not null,
    deployed_by varchar(64) not null,
    deployed_at timestamptz not null,
    primary key (workflow_id, version)
);

-- The deployed nodes, one row per node id (node ids are global: they are the API's TaskId).
create table node (
    id                  bigint       primary key,
    workflow_id         bigint       not null references workflow (id),
    tenant_id           bigint       not null,
    workspace_id        bigint       not null,
    env                 varchar(4)   not null,
    name                varchar(128) not null,
    type                varchar(16)  not null,
    script              text,
    cron                varchar(64)  not null,
    scheduler_type      varchar(24)  not null,
    priority            int          not null,
    resource_group      varchar(64)  not null,
    rerun_mode          varchar(24)  not null,
    owner               varchar(64)  not null,
    instance_generation varchar(16)  not null,
    upstream            bigint[]     not null,
    frozen              boolean      not null default false,
    deployed            boolean      not null default true
);
create index node_workflow on node (workflow_id);

create table resource_group (
    name  varchar(64) primary key,
    slots int         not null check (slots > 0)
);
insert into resource_group values ('default', 50);

-- One workflow instance per workflow, business date and dag type.
create table dag_instance (
    id            bigint      primary key,
    workflow_id   bigint      not null references workflow (id),
    tenant_id     bigint      not null,
    workspace_id  bigint      not null,
    env           varchar(4)  not null,
    name          varchar(128) not null,
    dag_type      int         not null,
    biz_date      date        not null,
    status        int         not null,
    operator      varchar(64) not null,
    create_time   timestamptz not null,
    modify_time   timestamptz not null,
    unique (workflow_id, biz_date, dag_type)
);

create table task_instance (
    id                   bigint      primary key,
    dag_instance_id      bigint      not null references dag_instance (id),
    node_id              bigint      not null,
    workflow_id          bigint      not null,
    tenant_id            bigint      not null,
    workspace_id         bigint      not null,
    env                  varchar(4)  not null,
    node_type            varchar(16) not null,
    scheduler_type       varchar(24) not null,
    priority             int         not null,
    resource_group       varchar(64) not null,
    cyc_time             timestamptz not null,
    biz_date             date        not null,
    status               int         not null,
    wait_trigger         boolean     not null default false,
    frozen               boolean     not null default false,
    begin_wait_time_time timestamptz,
    begin_wait_res_time  timestamptz,
    begin_running_time   timestamptz,
    finish_time          timestamptz,
    create_time          timestamptz not null,
    modify_time          timestamptz not null,
    -- HTTP trigger nodes: the accepted trigger, retained until its conditions hold or it expires.
    trigger_command_id   uuid,
    trigger_retained_at  timestamptz,
    trigger_expires_at   timestamptz,
    trigger_dropped_at   timestamptz,
    triggered_at         timestamptz,
    unique (node_id, cyc_time)
);
-- Lets a DAG's aggregate status be decided by two index probes instead of a scan of its instances.
create index task_instance_dag_status on task_instance (dag_instance_id, status);
create index task_instance_query on task_instance (workspace_id, biz_date, status);
create index task_instance_due on task_instance (cyc_time) where status = 2 and not wait_trigger;
create index task_instance_retained on task_instance (trigger_expires_at) where trigger_retained_at is not null;

create table task_instance_dependency (
    instance_id          bigint not null references task_instance (id) on delete cascade,
    upstream_instance_id bigint not null references task_instance (id) on delete cascade,
    primary key (instance_id, upstream_instance_id)
);
create index task_instance_dependency_upstream on task_instance_dependency (upstream_instance_id);

-- Every trigger command seen, with its outcome: a redelivered command id has no second effect.
create table trigger_command (
    command_id  uuid        primary key,
    instance_id bigint,
    outcome     varchar(16) not null,
    code        varchar(64) not null,
    message     varchar(500) not null,
    received_at timestamptz not null,
    decided_at  timestamptz not null
);

-- Transactional outbox: written with the state it describes, relayed in id order, deleted once published.
create table outbox (
    id         bigserial    primary key,
    event_id   uuid         not null unique,
    topic      varchar(200) not null,
    record_key varchar(200) not null,
    payload    text,
    created_at timestamptz  not null
);

create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('scheduler_outbox', '');
    return null;
end $$;
create trigger outbox_inserted after insert on outbox for each statement execute function outbox_notify();
