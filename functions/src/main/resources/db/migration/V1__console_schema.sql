-- Star Console schema, version 1.
-- The seed's spnclients table first, exactly as the seed gives it; then what the console needs
-- beside it. docs/schema.md explains every table.

CREATE TABLE spnclients (
   id serial PRIMARY KEY,
   realip text NOT NULL,
   vpnip text NOT NULL,
   publickey text NOT NULL,
   edport smallint NOT NULL,
   groupname text,
   allowed_ips text,
   mac_addr text NOT NULL,
   spnbox_id text,
   created_date date NOT NULL,
   UNIQUE(realip, vpnip)
);

-- A box is one spnclients row, identified by its public key (the seed's columns keep their
-- meaning; the added ones hold what the seed kept only in the daemons' memory).
ALTER TABLE spnclients
    ADD COLUMN admission     text        NOT NULL DEFAULT 'accepted'
        CHECK (admission IN ('accepted', 'pending', 'rejected')),
    ADD COLUMN online        boolean     NOT NULL DEFAULT false,
    ADD COLUMN realport      integer     CHECK (realport BETWEEN 0 AND 65535),
    ADD COLUMN endpoint_port integer     CHECK (endpoint_port BETWEEN 0 AND 65535),
    ADD COLUMN listen_port   integer     CHECK (listen_port BETWEEN 0 AND 65535),
    ADD COLUMN vpnmask       smallint    CHECK (vpnmask BETWEEN 0 AND 32),
    ADD COLUMN firmware_version text,
    ADD COLUMN edge_id       text,
    ADD COLUMN registered_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_seen     timestamptz,
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX spnclients_publickey_key ON spnclients (publickey);
CREATE INDEX spnclients_groupname_idx ON spnclients (groupname);
CREATE INDEX spnclients_online_last_seen_idx ON spnclients (online, last_seen);

-- Presence and registration history: one row per transition.
CREATE TABLE box_events (
    id         bigserial   PRIMARY KEY,
    box_id     integer     NOT NULL REFERENCES spnclients (id) ON DELETE CASCADE,
    at         timestamptz NOT NULL DEFAULT now(),
    kind       text        NOT NULL
        CHECK (kind IN ('registered', 'online', 'offline', 'bye', 'address_changed',
                        'spn_ip_assigned', 'spn_ip_released', 'approved', 'rejected', 'key_changed')),
    realip     text,
    realport   integer,
    detail     text
);
CREATE INDEX box_events_box_at_idx ON box_events (box_id, at DESC);

-- Admission: enrolment tokens (stored as SHA-256 hashes) and pre-registered keys.
CREATE TABLE enrolment_tokens (
    id          bigserial   PRIMARY KEY,
    token_hash  bytea       NOT NULL UNIQUE,
    description text,
    groupname   text,
    uses_left   integer     CHECK (uses_left IS NULL OR uses_left >= 0),
    expires_at  timestamptz,
    revoked_at  timestamptz,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE preregistered_keys (
    publickey  text        PRIMARY KEY,
    groupname  text,
    note       text,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- SPN IP allocation. A pool with groupname NULL is the default pool.
CREATE TABLE address_pools (
    id         serial      PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    groupname  text        UNIQUE,
    network    cidr        NOT NULL,
    gateway    inet,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX address_pools_one_default ON address_pools ((groupname IS NULL)) WHERE groupname IS NULL;

-- One row per address that is or was in use. The primary key is what makes it impossible for two
-- boxes to hold one address, whatever number of function instances allocate at once.
CREATE TABLE address_leases (
    address         inet        PRIMARY KEY,
    pool_id         integer     NOT NULL REFERENCES address_pools (id) ON DELETE CASCADE,
    box_id          integer     REFERENCES spnclients (id) ON DELETE SET NULL,
    state           text        NOT NULL CHECK (state IN ('bound', 'reserved', 'cooling')),
    pinned          boolean     NOT NULL DEFAULT false,
    note            text,
    bound_at        timestamptz,
    cool_down_until timestamptz,
    CHECK (state <> 'bound' OR box_id IS NOT NULL)
);
CREATE UNIQUE INDEX address_leases_one_per_box ON address_leases (box_id) WHERE state = 'bound';

-- The command queue: one command, one delivery per target box.
CREATE TABLE commands (
    id            bigserial   PRIMARY KEY,
    type          smallint    NOT NULL,
    priority      smallint    NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
    target_kind   text        NOT NULL CHECK (target_kind IN ('box', 'group', 'all')),
    target_value  text,
    contents      text        NOT NULL DEFAULT '',
    include_late_joiners boolean NOT NULL DEFAULT false,
    not_before    timestamptz,
    expires_at    timestamptz,
    state         text        NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'in_progress', 'succeeded', 'failed', 'expired', 'cancelled',
                         'superseded', 'rolled_back', 'partial')),
    created_by    text        NOT NULL,
    created_from  text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE command_deliveries (
    id            bigserial   PRIMARY KEY,
    command_id    bigint      NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
    box_id        integer     NOT NULL REFERENCES spnclients (id) ON DELETE CASCADE,
    state         text        NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'delivered', 'succeeded', 'failed', 'expired', 'cancelled',
                         'superseded', 'rolled_back')),
    attempts      integer     NOT NULL DEFAULT 0,
    leased_until  timestamptz,
    result        text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (command_id, box_id)
);
CREATE INDEX command_deliveries_box_pending_idx ON command_deliveries (box_id, state)
    WHERE state IN ('queued', 'delivered');

-- OTA: releases (signed manifests in object storage) and rollouts in waves.
CREATE TABLE firmware_releases (
    id                bigserial   PRIMARY KEY,
    model             text        NOT NULL,
    version           text        NOT NULL,
    size_bytes        bigint      NOT NULL CHECK (size_bytes >= 0),
    sha512_plain      text        NOT NULL,
    sha512_encrypted  text        NOT NULL,
    image_key         text        NOT NULL,
    manifest_key      text        NOT NULL,
    state             text        NOT NULL DEFAULT 'published' CHECK (state IN ('published', 'withdrawn')),
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (model, version)
);

CREATE TABLE rollouts (
    id                   bigserial   PRIMARY KEY,
    release_id           bigint      NOT NULL REFERENCES firmware_releases (id),
    target_kind          text        NOT NULL CHECK (target_kind IN ('box', 'group', 'all')),
    target_value         text,
    wave_percents        integer[]   NOT NULL,
    current_wave         integer     NOT NULL DEFAULT 0,
    failure_threshold_percent integer NOT NULL DEFAULT 10 CHECK (failure_threshold_percent BETWEEN 0 AND 100),
    include_late_joiners boolean     NOT NULL DEFAULT false,
    state                text        NOT NULL DEFAULT 'running'
        CHECK (state IN ('running', 'halted', 'completed', 'cancelled')),
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rollout_boxes (
    rollout_id  bigint      NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    box_id      integer     NOT NULL REFERENCES spnclients (id) ON DELETE CASCADE,
    wave        integer     NOT NULL,
    state       text        NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'downloading', 'verifying', 'installing', 'rebooting',
                         'succeeded', 'failed', 'rolled_back')),
    message     text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rollout_id, box_id)
);

-- Operators. Passwords only as Argon2id hashes; API tokens only as SHA-256 hashes.
CREATE TABLE admins (
    id             serial      PRIMARY KEY,
    username       text        NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
    password_hash  text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    failed_logins  integer     NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    disabled       boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE admin_tokens (
    token_hash  bytea       PRIMARY KEY,
    admin_id    integer     NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    source      text
);
CREATE INDEX admin_tokens_expires_idx ON admin_tokens (expires_at);

-- Who did what, when, from where: every state-changing request.
CREATE TABLE audit_log (
    id      bigserial   PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text        NOT NULL,
    action  text        NOT NULL,
    target  text,
    detail  jsonb,
    source  text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
