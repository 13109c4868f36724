-- The trace of the call that first used the token: a retry continues that trace, so one trigger is one trace.
alter table client_token add column trace_parent text;
