-- Extension points (docs/extensions.md): extensions a tenant registers, where they are enabled,
-- and the checks that hold an operation in Checking until every covering extension answered.
create table extension (
    code             varchar(40)  primary key,
    tenant_id        bigint       not null,
    name             varchar(128) not null,
    owner            varchar(64)  not null,
    event_codes      text[]       not null,
    test_workspace_id bigint      not null,
    detail_url       varchar(512),
    document_url     varchar(512),
    parameters       text         not null default '',
    options_schema   jsonb,
    check_timeout_s  int          not null,
    timeout_result   varchar(4)   not null,
    published        boolean      not null default false,
    deleted          boolean      not null default false,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null
);
create index extension_tenant on extension (tenant_id) where not deleted;

create table extension_workspace (
    extension_code varchar(40) not null references extension (code),
    workspace_id   bigint      not null,
    enabled        boolean     not null,
    options        jsonb,
    updated_by     varchar(64) not null,
    updated_at     timestamptz not null,
    primary key (extension_code, workspace_id)
);

-- Who did what to an extension, in order.
create table extension_audit (
    id             bigserial   primary key,
    extension_code varchar(40) not null,
    action         varchar(32) not null,
    operator       varchar(64) not null,
    detail         jsonb,
    at             timestamptz not null
);

-- An operation waiting for its checks: applied when all pass, refused on the first FAIL.
create table pending_operation (
    id          uuid        primary key,
    operation   varchar(48) not null,
    request     jsonb       not null,
    operator    varchar(64) not null,
    state       varchar(12) not null,
    reason      text,
    created_at  timestamptz not null,
    resolved_at timestamptz
);

-- One check per workspace the operation touches; its id is the event's id, the callbacks' MessageId.
create table extension_check (
    id            uuid        primary key,
    pending_id    uuid        not null references pending_operation (id),
    tenant_id     bigint      not null,
    workspace_id  bigint      not null,
    event_code    varchar(48) not null,
    expected      text[]      not null,
    state         varchar(12) not null,
    deadline      timestamptz not null,
    reason        text,
    created_at    timestamptz not null,
    resolved_at   timestamptz
);
create index extension_check_open on extension_check (deadline) where state = 'CHECKING';

create table extension_verdict (
    check_id       uuid        not null references extension_check (id),
    extension_code varchar(40) not null,
    result         varchar(4)  not null,
    tip            text,
    at             timestamptz not null,
    primary key (check_id, extension_code)
);

-- An instance is in at most one pending operation: another operation on it waits for the check.
create table checking_instance (
    instance_id bigint primary key,
    pending_id  uuid   not null references pending_operation (id)
);
