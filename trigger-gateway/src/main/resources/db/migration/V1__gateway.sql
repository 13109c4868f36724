-- Nonces seen within the timestamp window. Shared by every gateway replica, so a replay to
-- another replica is caught by the primary key.
create table signature_nonce (
    access_key_id varchar(64)  not null,
    nonce         varchar(128) not null,
    expires_at    timestamptz  not null,
    primary key (access_key_id, nonce)
);
create index signature_nonce_expiry on signature_nonce (expires_at);

-- ClientToken idempotency: the same token and parameters return the same outcome without a
-- second command; another payload under the same token is refused.
create table client_token (
    access_key_id varchar(64)  not null,
    token         varchar(64)  not null,
    request_hash  varchar(64)  not null,
    command_id    uuid         not null,
    outcome       text,
    created_at    timestamptz  not null,
    primary key (access_key_id, token)
);
create index client_token_age on client_token (created_at);
