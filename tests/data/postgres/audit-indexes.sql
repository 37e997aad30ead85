-- Caracal's indexes on the audit tables, as its baseline migration creates them (copied from
-- /work/shared/spec/upstream/audit-tables.sql): the ledger tests and the benchmark load them after the rows. Without ONLY, so every partition gets them.
CREATE INDEX admin_audit_events_actor_time ON public.admin_audit_events USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);
CREATE INDEX admin_audit_events_chain ON public.admin_audit_events USING btree (zone_id, chain_seq DESC);
CREATE INDEX admin_audit_events_request ON public.admin_audit_events USING btree (request_id);
CREATE INDEX admin_audit_events_zone_time ON public.admin_audit_events USING btree (zone_id, occurred_at DESC);
CREATE INDEX audit_events_agent_labels_idx ON public.audit_events USING gin (((metadata_json -> 'agent_labels'::text)));
CREATE INDEX audit_events_agent_session_idx ON public.audit_events USING btree (((metadata_json ->> 'agent_session_id'::text))) WHERE (metadata_json ? 'agent_session_id'::text);
CREATE INDEX audit_events_session_idx ON public.audit_events USING btree (((metadata_json ->> 'session_id'::text))) WHERE (metadata_json ? 'session_id'::text);
CREATE INDEX audit_events_request_id_idx ON public.audit_events USING btree (request_id) WHERE (request_id IS NOT NULL);
CREATE INDEX audit_events_zone_chain ON public.audit_events USING btree (zone_id, chain_seq DESC);
CREATE INDEX audit_events_zone_id_occurred_at_idx ON public.audit_events USING btree (zone_id, occurred_at DESC);
