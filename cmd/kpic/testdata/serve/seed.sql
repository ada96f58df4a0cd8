CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, plan TEXT, status TEXT, amount REAL);
INSERT INTO subscriptions (plan, status, amount) VALUES
  ('pro', 'active', 49),
  ('pro', 'active', 49),
  ('basic', 'active', 9.5),
  ('basic', 'cancelled', 9.5),
  ('team', 'active', NULL);
