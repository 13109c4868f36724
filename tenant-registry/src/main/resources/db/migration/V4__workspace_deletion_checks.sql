-- Workspace deletions held by the tenant's delete-project extensions (docs/extensions.md): the
-- scheduler holds the check; the registry deletes once it passed and reports the outcome.
create table workspace_deletion (
    workspace_id  bigint      primary key,
    pending_id    uuid        not null,
    operator      varchar(64) not null,
    requested_at  timestamptz not null
);
