-- Users, their API keys (login sessions and named tokens) and the deployment's identity.
-- Case-insensitive uniqueness uses expression indexes on lower(...): the persistence actor maps
-- each index name to the API field it protects (users_username_lower_key -> "username").

CREATE TABLE deployment (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  deployment_id uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO deployment DEFAULT VALUES;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL CHECK (username <> ''),
  email text NOT NULL CHECK (email <> ''),
  name text NOT NULL DEFAULT '',
  hashed_password text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  roles text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz
);
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE api_keys (
  id text PRIMARY KEY CHECK (id <> ''),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hashed_secret text NOT NULL,
  token_name text NOT NULL DEFAULT '',
  login_type text NOT NULL CHECK (login_type IN ('password', 'token')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used timestamptz,
  lifetime_seconds bigint NOT NULL DEFAULT 0 CHECK (lifetime_seconds >= 0)
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id, login_type);
-- Named tokens are unique per user; login sessions have no meaningful name.
CREATE UNIQUE INDEX api_keys_user_token_name_key ON api_keys (user_id, token_name)
  WHERE login_type = 'token';
