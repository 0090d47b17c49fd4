import type { QueryInterface } from 'sequelize';

/*
 * Media uploads and host webhooks (API.md "Media", "Host webhooks").
 *
 * media_upload: one row per stored file (owner, dimensions, digest), so the panel can list them.
 * webhook_endpoint: a host's receiver; the signing secret is kept encrypted (it is an HMAC key,
 *   so the server needs it back, a hash would not do).
 * webhook_message: the outbox, written by the command's own transaction (emitHostEvent);
 *   the deliver-webhooks job fans each message out to the host's subscribed endpoints.
 * webhook_delivery: one message to one endpoint, with its attempts; the delivery log.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
CREATE TABLE media_upload (
  id            BIGSERIAL PRIMARY KEY,
  uuid          UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  owner_id      BIGINT REFERENCES auth_user(id) ON DELETE SET NULL,
  storage_key   VARCHAR(100) NOT NULL UNIQUE,
  content_type  VARCHAR(20) NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  byte_size     INTEGER NOT NULL CHECK (byte_size > 0),
  width         INTEGER NOT NULL CHECK (width > 0),
  height        INTEGER NOT NULL CHECK (height > 0),
  sha256        CHAR(64) NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX media_upload_owner ON media_upload (owner_id, created_at DESC);

CREATE TABLE webhook_endpoint (
  id                BIGSERIAL PRIMARY KEY,
  uuid              UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  host_id           BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
  url               VARCHAR(2000) NOT NULL,
  events            TEXT[] NOT NULL CHECK (cardinality(events) >= 1),
  secret_encrypted  TEXT NOT NULL,
  is_active         BOOLEAN NOT NULL DEFAULT true,
  failing_since     TIMESTAMPTZ,
  disabled_at       TIMESTAMPTZ,
  disabled_reason   TEXT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoint_host ON webhook_endpoint (host_id, created_at, id);

CREATE TABLE webhook_message (
  id             BIGSERIAL PRIMARY KEY,
  uuid           UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  host_id        BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
  event_id       BIGINT REFERENCES event(id) ON DELETE SET NULL,
  type           VARCHAR(40) NOT NULL CHECK (type IN ('request.created', 'request.accepted', 'order.paid', 'order.refunded',
                   'attendee.checked_in', 'event.cancelled')),
  payload        JSONB NOT NULL,
  fanned_out_at  TIMESTAMPTZ,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_message_unfanned ON webhook_message (id) WHERE fanned_out_at IS NULL;
CREATE INDEX webhook_message_host ON webhook_message (host_id);

CREATE TABLE webhook_delivery (
  id                BIGSERIAL PRIMARY KEY,
  uuid              UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  endpoint_id       BIGINT NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
  message_id        BIGINT NOT NULL REFERENCES webhook_message(id) ON DELETE CASCADE,
  status            VARCHAR(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts          INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at   TIMESTAMPTZ,
  last_attempt_at   TIMESTAMPTZ,
  last_status_code  INTEGER,
  last_error        TEXT,
  delivered_at      TIMESTAMPTZ,
  deadline_at       TIMESTAMPTZ NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (endpoint_id, message_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_log ON webhook_delivery (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_delivery_message ON webhook_delivery (message_id);
`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP TABLE IF EXISTS webhook_delivery;
DROP TABLE IF EXISTS webhook_message;
DROP TABLE IF EXISTS webhook_endpoint;
DROP TABLE IF EXISTS media_upload;`);
}
