-- Ada can log in (POST /auth/login with login "ada", password "lovelace-1815") and is an admin. Grace
-- has no password, but a session for trying the members' routes: Cookie: wp_session=demo-session-grace
INSERT INTO users (id, name, email, created_at, login, password_hash, type) VALUES
  (1, 'Ada Lovelace', 'ada@example.com', '2024-01-15 09:30:00', 'ada',
   '$argon2id$v=19$m=16384,t=2,p=1$Ni+962VjKr/FtQZwQYMtYw$8TFzLZbgfSDZfaB5pEpufPnB10mttMrEcz+BiHRgmuk', 'admin'),
  (2, 'Grace Hopper', 'grace@example.com', '2024-02-01 14:00:00', 'grace', NULL, 'local'),
  (3, 'Alan Turing', 'alan@example.com', '2024-03-10 11:45:00', NULL, NULL, 'local')
ON CONFLICT (id) DO NOTHING;

INSERT INTO sessions (token, user_id, expires_at) VALUES
  ('demo-session-grace', 2, '2100-01-01 00:00:00+00')
ON CONFLICT (token) DO NOTHING;

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

INSERT INTO guestbook (id, user_id, message, created_at) VALUES
  (1, 1, 'The engine weaves algebraic patterns.', '2024-05-01 10:00:00+00'),
  (2, 3, 'Can machines <em>think</em>?', '2024-05-02 11:00:00+00')
ON CONFLICT (id) DO NOTHING;
