-- Alert rules (REMIND_ALERT, docs/alerts.md): per workspace, on nodes or on a resource group.
-- The id is the rule's remindId. Columns a rule's type does not use are null.
create table alert_rule (
    id               bigint       primary key,
    tenant_id        bigint       not null,
    workspace_id     bigint       not null,
    name             varchar(128) not null,
    unit             varchar(16)  not null,
    type             varchar(32)  not null,
    node_ids         bigint[],
    resource_group   varchar(64),
    timeout_minutes  int,
    unfinished_time  time,
    usage_percent    int,
    waiting_count    int,
    created_by       varchar(64)  not null,
    created_at       timestamptz  not null,
    unique (workspace_id, name)
);
create index alert_rule_unit on alert_rule (unit);

-- What a rule has fired for: 'instance/<task instance id>' (node rules, once per instance and
-- rule) or 'episode' (resource-group rules: the open episode, deleted when the condition clears).
-- Inserted with the alert's outbox record in one transaction; the key makes a second firing a no-op.
create table alert_fired (
    rule_id   bigint      not null references alert_rule (id) on delete cascade,
    subject   varchar(64) not null,
    alert_id  uuid        not null,
    fired_at  timestamptz not null,
    primary key (rule_id, subject)
);
create index alert_fired_at on alert_fired (fired_at);
