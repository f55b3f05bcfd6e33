-- Star Console schema, version 2: the box registry (admission, SPN IP allocation, presence, peers).
-- docs/schema.md explains every table and column.

-- What a box published about itself with SND_SPN_INFO (or HELLO): the host its peers reach it on,
-- and how it was admitted.
ALTER TABLE spnclients
    ADD COLUMN endpoint_host      text,
    ADD COLUMN enrolment_token_id bigint REFERENCES enrolment_tokens (id) ON DELETE SET NULL,
    ADD COLUMN group_bound        boolean NOT NULL DEFAULT false;

-- spnclients.vpnip is NOT NULL and UNIQUE(realip, vpnip). A box that holds no SPN IP (pending,
-- refused by exhaustion, released, reclaimed) carries a placeholder that is unique per box and can
-- never be a pool address: 0.0.0.0/8 ("this network") plus the box id in the low 24 bits.
CREATE FUNCTION spn_unassigned_vpnip(box_id integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT host('0.0.0.0'::inet + (box_id::bigint % 16777216)) $$;

-- The seed's vpnip (and vpnmask) follow the box's bound lease, whatever code path changes it:
-- binding writes the address, unbinding writes the placeholder.
CREATE FUNCTION address_leases_sync_vpnip() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'bound'
            AND (TG_OP = 'DELETE' OR NEW.state <> 'bound' OR NEW.box_id IS DISTINCT FROM OLD.box_id
                 OR NEW.address <> OLD.address) THEN
        UPDATE spnclients SET vpnip = spn_unassigned_vpnip(id), vpnmask = NULL, updated_at = now()
         WHERE id = OLD.box_id AND vpnip = host(OLD.address);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'bound' THEN
        UPDATE spnclients c SET vpnip = host(NEW.address), vpnmask = masklen(p.network), updated_at = now()
          FROM address_pools p
         WHERE c.id = NEW.box_id AND p.id = NEW.pool_id
           AND (c.vpnip <> host(NEW.address) OR c.vpnmask IS DISTINCT FROM masklen(p.network));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER address_leases_sync_vpnip
    AFTER INSERT OR DELETE OR UPDATE OF address, box_id, state ON address_leases
    FOR EACH ROW EXECUTE FUNCTION address_leases_sync_vpnip();

CREATE INDEX address_leases_pool_idx ON address_leases (pool_id, address);
CREATE INDEX address_leases_cooling_idx ON address_leases (cool_down_until) WHERE state = 'cooling';

-- Settings an operator changes through the API (e.g. the admission policy); a missing row means
-- "use the configured default".
CREATE TABLE console_settings (
    name       text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX box_events_kind_at_idx ON box_events (kind, at DESC);

-- No two pools overlap, whatever the API checked first (inet_ops is PostgreSQL's own GiST class).
ALTER TABLE address_pools
    ADD CONSTRAINT address_pools_no_overlap EXCLUDE USING gist (network inet_ops WITH &&);
