-- A grant covers the nodes it lists, or every node of its workspace when all_nodes says so: an
-- empty list no longer means "everything" (a record that lost its list must grant nothing).
-- Grants made before kept their meaning.
alter table trigger_grant add column all_nodes boolean not null default false;
update trigger_grant set all_nodes = true where node_ids = '';
