-- A workspace publishes its events to one bus of its own tenant; null: the publisher's default bus
-- (contracts/registry-feed.md). The foreign key backs the service's check: a mapped bus cannot go.
alter table workspace add column event_bus_name varchar(64);
alter table workspace add constraint workspace_event_bus
    foreign key (tenant_id, event_bus_name) references event_bus (tenant_id, name);
create index workspace_by_bus on workspace (tenant_id, event_bus_name) where event_bus_name is not null;

-- The outbox now feeds two topics (registry.changes and registry.workspace-events), relayed in one
-- commit order by one relay. Rows written before were all change-feed rows.
alter table outbox add column topic varchar(200);
update outbox set topic = 'registry.changes';
alter table outbox alter column topic set not null;
