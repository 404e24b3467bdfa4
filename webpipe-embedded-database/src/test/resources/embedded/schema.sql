CREATE TABLE IF NOT EXISTS greetings (id integer PRIMARY KEY, text text NOT NULL);
INSERT INTO greetings (id, text) VALUES (1, 'hello') ON CONFLICT (id) DO NOTHING;
-- one row each time the scripts run
CREATE TABLE IF NOT EXISTS script_runs (at timestamptz NOT NULL DEFAULT now());
INSERT INTO script_runs DEFAULT VALUES;
