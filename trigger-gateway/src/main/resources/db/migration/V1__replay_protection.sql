-- Nonces seen within the timestamp window. Shared by every gateway replica, so a replay to
-- another replica is caught by the primary key.
create table signature_nonce (
    access_key_id varchar(64)  not null,
    nonce         varchar(128) not null,
    expires_at    timestamptz  not null,
    primary key (access_key_id, nonce)
);
create index signature_nonce_expiry on signature_nonce (expires_at);
