-- Star Console schema, version 4: a REGENERATE_L3_SPN_KEY delivery remembers the key the box had,
-- so a roll-back reported by the box (under its old key, after the success) moves it back.
ALTER TABLE command_deliveries ADD COLUMN previous_key text;
