-- The trace context of the change that wrote the row (W3C traceparent); the relay continues it.
alter table outbox add column trace_parent text;
