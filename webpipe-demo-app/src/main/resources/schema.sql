CREATE TABLE IF NOT EXISTS users (
  id integer PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  created_at timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS posts (
  id integer PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  title text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE IF NOT EXISTS orders (
  id uuid PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  total numeric(10, 2) NOT NULL,
  status text NOT NULL,
  placed_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS stats (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
