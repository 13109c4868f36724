-- Ids not supplied by the operator come from this sequence; it starts high so that small
-- hand-picked ids (demo data, migrated tenants) never collide with generated ones.
create sequence entity_id_seq start with 100000;

create table region (
    id            varchar(32)  primary key,
    endpoint_host varchar(255) not null,
    gateway_url   varchar(255) not null,
    event_buses   varchar(1000) not null default '',
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null
);

create table tenant (
    id          bigint       primary key,
    name        varchar(64)  not null unique,
    account_id  varchar(32)  not null unique,
    edition     varchar(16)  not null,
    home_region varchar(32)  not null references region (id),
    time_zone   varchar(64)  not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);

create table workspace (
    id             bigint       primary key,
    tenant_id      bigint       not null references tenant (id),
    name           varchar(64)  not null,
    environments   varchar(32)  not null,
    publish_events boolean      not null,
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    unique (tenant_id, name)
);

create table tenant_user (
    id         bigint      primary key,
    tenant_id  bigint      not null references tenant (id),
    name       varchar(64) not null,
    kind       varchar(8)  not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (tenant_id, name)
);

create table workspace_member (
    workspace_id bigint       not null references workspace (id),
    user_id      bigint       not null references tenant_user (id),
    roles        varchar(200) not null,
    updated_at   timestamptz  not null,
    primary key (workspace_id, user_id)
);

-- The secret is stored only as AES-GCM ciphertext; secret_key_id names the key that sealed it.
create table access_key (
    id                varchar(32) primary key,
    tenant_id         bigint      not null references tenant (id),
    user_id           bigint      not null references tenant_user (id),
    secret_ciphertext bytea       not null,
    secret_key_id     varchar(32) not null,
    enabled           boolean     not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    last_used_at      timestamptz
);
create index access_key_user on access_key (user_id);

create table trigger_grant (
    id                bigint       primary key,
    tenant_id         bigint       not null references tenant (id),
    workspace_id      bigint       not null references workspace (id),
    grantee_tenant_id bigint       not null references tenant (id),
    grantee_user_id   bigint       not null references tenant_user (id),
    node_ids          varchar(2000) not null default '',
    expires_at        timestamptz  not null,
    created_by        varchar(64)  not null,
    created_at        timestamptz  not null,
    revoked_at        timestamptz,
    revoked_by        varchar(64)
);

create table grant_audit (
    id         bigint       primary key,
    grant_id   bigint       not null,
    action     varchar(16)  not null,
    operator   varchar(64)  not null,
    at         timestamptz  not null,
    detail     varchar(4000) not null
);
create index grant_audit_grant on grant_audit (grant_id);

create table event_bus (
    tenant_id  bigint      not null references tenant (id),
    name       varchar(64) not null,
    region_id  varchar(32) not null references region (id),
    created_at timestamptz not null,
    primary key (tenant_id, name)
);

-- Transactional outbox of the change feed. A null payload is a deletion (a Kafka tombstone).
create table outbox (
    id          bigint       primary key,
    event_id    uuid         not null unique,
    record_key  varchar(200) not null,
    payload     text,
    created_at  timestamptz  not null,
    published_at timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;

create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('registry_outbox', '');
    return null;
end $$;
create trigger outbox_inserted after insert on outbox for each statement execute function outbox_notify();
