INSERT INTO users (id, name, email, created_at) VALUES
  (1, 'Ada Lovelace', 'ada@example.com', '2024-01-15 09:30:00'),
  (2, 'Grace Hopper', 'grace@example.com', '2024-02-01 14:00:00'),
  (3, 'Alan Turing', 'alan@example.com', '2024-03-10 11:45:00')
ON CONFLICT (id) DO NOTHING;

INSERT INTO posts (id, user_id, title, tags) VALUES
  (1, 1, 'Notes on the Analytical Engine', '{history,computing}'),
  (2, 2, 'Finding the first bug', '{debugging}'),
  (3, 2, 'Compilers for everyone', '{compilers,languages}'),
  (4, 3, 'Can machines think?', '{ai}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO orders (id, user_id, total, status, placed_at) VALUES
  ('7f9c24e8-3b12-4fef-91e0-3a1b2c3d4e01', 1, 19.90, 'shipped', '2024-04-01 10:00:00+00'),
  ('7f9c24e8-3b12-4fef-91e0-3a1b2c3d4e02', 2, 120.00, 'paid', '2024-04-02 12:30:00+00'),
  ('7f9c24e8-3b12-4fef-91e0-3a1b2c3d4e03', 2, 5.25, 'new', '2024-04-03 08:15:00+00')
ON CONFLICT (id) DO NOTHING;

INSERT INTO stats (name, value) VALUES
  ('visits', 1024),
  ('signups', 3)
ON CONFLICT (name) DO NOTHING;
