-- OTA releases and rollouts (docs/ota.md): the release key sealed under the key-encryption key, the
-- signed manifest, download tokens, per-box progress and the health judgement, halt/resume state.
-- Nothing wrote firmware_releases or rollouts before this version, so the new NOT NULL columns
-- need no backfill.

-- UPDATE_FIRMWARE (112) joins the user commands.
ALTER TABLE commands DROP CONSTRAINT commands_type_known,
    ADD CONSTRAINT commands_type_known CHECK (type BETWEEN 100 AND 112);

ALTER TABLE firmware_releases
    ADD COLUMN encrypted_size         bigint  NOT NULL CHECK (encrypted_size >= 0),
    ADD COLUMN compatible_models      text[]  NOT NULL,
    -- the canonical manifest bytes that were signed, and one line '<keyId> <base64 signature>' per key
    ADD COLUMN manifest               bytea   NOT NULL,
    ADD COLUMN signatures             text    NOT NULL,
    ADD COLUMN signature_key_ids      text[]  NOT NULL,
    -- AES-256-GCM of the 32-byte release key under star-console.ota.key-encryption-key (12-byte nonce)
    ADD COLUMN release_key_ciphertext bytea   NOT NULL,
    ADD COLUMN release_key_nonce      bytea   NOT NULL CHECK (octet_length(release_key_nonce) = 12),
    ADD COLUMN withdrawn_at           timestamptz,
    ADD COLUMN withdrawn_by           text,
    ADD CONSTRAINT firmware_releases_model_check CHECK (model ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    ADD CONSTRAINT firmware_releases_version_check CHECK (version ~ '^[0-9][0-9A-Za-z.+-]{0,31}$');

ALTER TABLE rollouts
    ADD COLUMN command_id         bigint REFERENCES commands (id),
    ADD COLUMN force              boolean     NOT NULL DEFAULT false,
    ADD COLUMN halted_reason      text,
    ADD COLUMN halted_at          timestamptz,
    -- failures already counted when an operator resumed: the threshold counts only newer ones
    ADD COLUMN forgiven_failures  integer     NOT NULL DEFAULT 0,
    ADD COLUMN updated_at         timestamptz NOT NULL DEFAULT now();
CREATE INDEX rollouts_running_idx ON rollouts (release_id) WHERE state IN ('running', 'halted');

ALTER TABLE rollout_boxes
    ADD COLUMN delivery_id        bigint REFERENCES command_deliveries (id) ON DELETE SET NULL,
    ADD COLUMN progress_percent   smallint CHECK (progress_percent BETWEEN 0 AND 100),
    -- a non-final box that is not heard of (report, registration) by then is failed
    ADD COLUMN deadline_at        timestamptz,
    -- when it registered with the release's firmware version; a heartbeat after it is success
    ADD COLUMN registered_on_version_at timestamptz,
    ADD COLUMN late_joiner        boolean NOT NULL DEFAULT false;
CREATE INDEX rollout_boxes_box_idx ON rollout_boxes (box_id)
    WHERE state NOT IN ('succeeded', 'failed', 'rolled_back');
CREATE INDEX rollout_boxes_deadline_idx ON rollout_boxes (deadline_at)
    WHERE state NOT IN ('succeeded', 'failed', 'rolled_back');

-- Download tokens handed to a box with each lease of an UPDATE_FIRMWARE: only the SHA-256 is kept.
CREATE TABLE ota_download_tokens (
    token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    release_id  bigint      NOT NULL REFERENCES firmware_releases (id),
    box_id      integer     NOT NULL REFERENCES spnclients (id) ON DELETE CASCADE,
    delivery_id bigint      REFERENCES command_deliveries (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX ota_download_tokens_expires_idx ON ota_download_tokens (expires_at);
