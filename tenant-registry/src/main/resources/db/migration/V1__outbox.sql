-- Transactional outbox: rows are written in the same transaction as the state they describe
-- and relayed to Kafka in id order per key.
create table outbox (
    id          bigserial    primary key,
    event_id    uuid         not null unique,
    topic       varchar(200) not null,
    record_key  varchar(200) not null,
    payload     jsonb        not null,
    created_at  timestamptz  not null default now(),
    published_at timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;
