-- Caracal's audit tables as its baseline migration creates them (infra/postgres/migrations/0001_baseline.up.sql,
-- copied from /work/shared/spec/upstream/audit-tables.sql): what tst_pgjsonb inserts into and dumps from.
CREATE TABLE public.audit_events (
    id text NOT NULL,
    zone_id text NOT NULL,
    event_type text NOT NULL,
    request_id text,
    decision text,
    policy_set_id text,
    policy_set_version_id text,
    manifest_sha text,
    evaluation_status text,
    determining_policies_json jsonb,
    diagnostics_json jsonb,
    metadata_json jsonb,
    occurred_at timestamp with time zone NOT NULL,
    ingested_at timestamp with time zone DEFAULT now() NOT NULL,
    content_sha256 text,
    prev_content_sha256 text,
    chain_hmac text,
    chain_seq bigint,
    ingest_signature text
)
PARTITION BY RANGE (occurred_at);

CREATE TABLE public.audit_events_default (
    id text CONSTRAINT audit_events_id_not_null NOT NULL,
    zone_id text CONSTRAINT audit_events_zone_id_not_null NOT NULL,
    event_type text CONSTRAINT audit_events_event_type_not_null NOT NULL,
    request_id text,
    decision text,
    policy_set_id text,
    policy_set_version_id text,
    manifest_sha text,
    evaluation_status text,
    determining_policies_json jsonb,
    diagnostics_json jsonb,
    metadata_json jsonb,
    occurred_at timestamp with time zone CONSTRAINT audit_events_occurred_at_not_null NOT NULL,
    ingested_at timestamp with time zone DEFAULT now() CONSTRAINT audit_events_ingested_at_not_null NOT NULL,
    content_sha256 text,
    prev_content_sha256 text,
    chain_hmac text,
    chain_seq bigint,
    ingest_signature text
);

ALTER TABLE ONLY public.audit_events ATTACH PARTITION public.audit_events_default DEFAULT;

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id, occurred_at);

CREATE TABLE public.admin_audit_events (
    id text NOT NULL,
    request_id text NOT NULL,
    actor_id text,
    actor_name text,
    actor_scope text,
    action text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    zone_id text,
    entity_type text,
    entity_id text,
    status_code integer NOT NULL,
    payload_json jsonb,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    content_sha256 text,
    prev_content_sha256 text,
    chain_hmac text,
    chain_seq bigint
);

ALTER TABLE ONLY public.admin_audit_events
    ADD CONSTRAINT admin_audit_events_pkey PRIMARY KEY (id);
