create table subscription (
    id          bigserial    primary key,
    tenant_id   bigint       not null,
    created_at  timestamptz  not null default now()
);
