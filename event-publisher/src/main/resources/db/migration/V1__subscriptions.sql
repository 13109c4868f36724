-- Subscriptions of tenants to the events on their buses, and the events they could not deliver.

create table subscription (
    id                bigserial     primary key,
    tenant_id         bigint        not null,
    -- Only this workspace's events when set.
    workspace_id      bigint,
    name              varchar(64)   not null,
    bus_name          varchar(64)   not null,
    -- Filter: each array is a set of accepted values; an empty array accepts everything.
    event_types       text[]        not null default '{}',
    event_codes       text[]        not null default '{}',
    project_ids       bigint[]      not null default '{}',
    target_kind       varchar(16)   not null,
    target_topic      varchar(249),
    target_url        varchar(2048),
    target_format     varchar(16),
    -- HTTP targets: the signing secret, AES-256-GCM sealed under publisher.at-rest key secret_key_id.
    secret_key_id     varchar(64),
    sealed_secret     text,
    replay_from       timestamptz,
    replay_generation integer       not null default 0,
    created_at        timestamptz   not null,
    updated_at        timestamptz   not null,
    constraint subscription_name_unique unique (tenant_id, name),
    constraint subscription_target_kind check (target_kind in ('KAFKA', 'HTTP')),
    constraint subscription_kafka_target check (target_kind <> 'KAFKA' or (target_topic is not null and target_url is null)),
    constraint subscription_http_target check (target_kind <> 'HTTP'
        or (target_url is not null and target_topic is null and target_format in ('CLOUDEVENT', 'FC') and sealed_secret is not null))
);

create table dead_letter (
    id                   bigserial     primary key,
    subscription_id      bigint        not null references subscription (id) on delete cascade,
    tenant_id            bigint        not null,
    event_id             varchar(200)  not null,
    event_type           varchar(200)  not null,
    record_key           varchar(200),
    -- The CloudEvent exactly as the bus carried it (text, not jsonb, to keep its bytes).
    payload              text          not null,
    attempts             integer       not null,
    last_error           varchar(1000),
    last_status          integer,
    status               varchar(16)   not null,
    failed_at            timestamptz   not null,
    redrive_requested_at timestamptz,
    redriven_at          timestamptz,
    -- One row per event and subscription: dead-lettering it again updates the row.
    constraint dead_letter_event_unique unique (subscription_id, event_id),
    constraint dead_letter_status check (status in ('DEAD', 'REDRIVING', 'REDRIVEN'))
);
