INSERT INTO users (id, name, email)
SELECT i, 'User ' || i, 'user' || i || '@example.com' FROM generate_series(1, 1000) AS i
ON CONFLICT (id) DO NOTHING;
