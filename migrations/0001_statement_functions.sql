-- The statements of POST /v1/embed/token as functions. Neon's HTTP protocol has no prepared
-- statements, so a statement sent as text is parsed, analysed and planned anew on every request,
-- and for the token chain that costs more than running it. A PL/pgSQL function keeps its
-- statements parsed and analysed for the life of the connection, and Neon's pool keeps its
-- connections. The worker calls them from src/data/statements/.
--
-- Each call is still planned for its own arguments and the tables as they are
-- (plan_cache_mode = force_custom_plan). PostgreSQL would otherwise settle on a generic plan
-- after five calls and keep it until the next ANALYZE: made while the tables are small, it scans
-- them whole as they grow. On PGlite, which never analyses by itself, that halved the
-- benchmark's RETURNING throughput; with it forced off, no table size outlives its plan.
--
-- A function is never changed in place: a new body is a new version (`_v2`) in a new migration,
-- so workers still deployed with the old call keep working until they are gone, and the old
-- version is dropped in a later migration.

-- The key checks: one row with the key's id and team, or the first failing check. Read-only and
-- STABLE, so it runs on the snapshot of the statement that calls it (and is inlined into it): a
-- VOLATILE function takes snapshots of its own, and called from the token statement that made
-- the statement's upserts spin on the CPU past every timeout when 40 requests raced
-- (PostgreSQL 15), instead of waiting for each other.
CREATE FUNCTION api_key_check_v1(p_digest text, p_permission text)
RETURNS TABLE (error text, key_id text, team_id text)
LANGUAGE sql STABLE AS $$
  SELECT
    CASE
      WHEN k.id IS NULL THEN 'INVALID_API_KEY'
      WHEN k.disabled THEN 'API_KEY_DISABLED'
      WHEN k.expires_at IS NOT NULL AND k.expires_at <= now() THEN 'API_KEY_EXPIRED'
      WHEN NOT (p_permission = ANY (k.permissions)) THEN 'INSUFFICIENT_PERMISSIONS'
    END,
    k.id, k.team_id
  FROM (SELECT 1) AS one LEFT JOIN api_keys k ON k.digest = p_digest
$$;
--> statement-breakpoint

-- The key alone, for requests refused before the token statement runs. last_used_at is refreshed
-- at most once a minute, so concurrent requests of one key rarely queue on its row lock; the
-- token statement refreshes it the same way.
CREATE FUNCTION authenticate_api_key_v1(p_digest text, p_permission text)
RETURNS TABLE (error text, key_id text, team_id text)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH auth AS (SELECT * FROM api_key_check_v1(p_digest, p_permission)),
  key_used AS (
    UPDATE api_keys k SET last_used_at = now()
    WHERE k.id = (SELECT auth.key_id FROM auth WHERE auth.error IS NULL)
      AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
  )
  SELECT auth.error, auth.key_id, auth.team_id FROM auth;
END
$$;
--> statement-breakpoint

-- The whole token request, so it costs one round trip and commits or rolls back as a unit. Reads
-- come first (key, program, group, existing user and affiliate, invitation) and give `verdict`,
-- the first failed check in the contract's order; every write is guarded by an empty verdict, so
-- a refused request writes nothing.
--
-- Writes are upserts, which stay correct when requests race (a loser of a conflict waits for the
-- winner's commit and then updates the winner's row): the user by email, the affiliate by
-- (user, program), the token by affiliate (one live token per affiliate is the primary key, so
-- racing requests cannot leave several alive). A new affiliate whose tracking id a concurrent
-- request took first fails on affiliates_program_tracking_id_unique, and one for which no
-- candidate was free on the NOT NULL of tracking_id; the caller retries with new candidates.
CREATE FUNCTION issue_embed_token_v1(
  p_key_digest text,
  p_permission text,
  p_program_id text,
  p_group_id text,
  p_email text,
  p_name text,
  p_image text,
  p_external_user_id text,
  p_metadata jsonb,
  p_tracking_id_candidates jsonb,
  p_new_user_id text,
  p_new_affiliate_id text,
  p_token_id uuid,
  p_issued_at timestamptz,
  p_expires_at timestamptz
)
RETURNS TABLE (
  error text,
  key_id text,
  team_id text,
  affiliate_id text,
  tracking_id text,
  status partnership_status,
  created boolean,
  website_url text,
  referral_param text,
  token_id uuid
)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH auth AS (SELECT * FROM api_key_check_v1(p_key_digest, p_permission)),
  key_used AS (
    UPDATE api_keys k SET last_used_at = now()
    WHERE k.id = (SELECT auth.key_id FROM auth WHERE auth.error IS NULL)
      AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
  ),
  prog AS (
    SELECT pr.id, pr.status, pr.access_mode, pr.default_group_id, pr.website_url, pr.referral_param
    FROM programs pr JOIN auth a ON a.error IS NULL AND pr.team_id = a.team_id
    WHERE pr.id = p_program_id
  ),
  grp AS (
    SELECT g.id FROM groups g JOIN prog ON g.program_id = prog.id
    WHERE g.id = COALESCE(p_group_id, prog.default_group_id)
  ),
  existing_user AS (SELECT u.id FROM users u WHERE u.email = p_email),
  existing_affiliate AS (
    SELECT af.id, af.status FROM affiliates af
    JOIN existing_user u ON af.user_id = u.id JOIN prog ON af.program_id = prog.id
  ),
  invitation AS (
    SELECT i.id FROM program_invitations i JOIN prog ON i.program_id = prog.id
    WHERE i.email = p_email
  ),
  verdict AS (
    SELECT COALESCE(auth.error, CASE
        WHEN prog.id IS NULL THEN 'PROGRAM_NOT_FOUND'
        WHEN prog.status <> 'active' THEN 'PROGRAM_NOT_ACTIVE'
        WHEN grp.id IS NULL THEN 'GROUP_NOT_FOUND'
        WHEN ea.id IS NULL AND prog.access_mode = 'invite' AND invitation.id IS NULL
          THEN 'NOT_INVITED'
        WHEN ea.id IS NOT NULL AND ea.status NOT IN ('APPROVED', 'PENDING')
          THEN 'PARTNERSHIP_INACTIVE'
      END) AS error
    FROM auth
    LEFT JOIN prog ON true LEFT JOIN grp ON true
    LEFT JOIN existing_affiliate ea ON true LEFT JOIN invitation ON true
  ),
  upserted_user AS (
    INSERT INTO users AS u (id, email, name, image)
    SELECT p_new_user_id, p_email, p_name, p_image
    FROM verdict WHERE verdict.error IS NULL
    -- The no-op update locks and returns the existing row, also when a concurrent request
    -- created it after this statement's snapshot was taken.
    ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
    RETURNING u.id
  ),
  free_tracking_id AS (
    SELECT c.value FROM jsonb_array_elements_text(p_tracking_id_candidates) WITH ORDINALITY AS c(value, ord)
    WHERE NOT EXISTS (
      SELECT 1 FROM affiliates x WHERE x.program_id = p_program_id AND x.tracking_id = c.value
    )
    ORDER BY c.ord LIMIT 1
  ),
  upserted_affiliate AS (
    INSERT INTO affiliates AS af
      (id, user_id, program_id, group_id, tracking_id, external_user_id, metadata, status)
    SELECT p_new_affiliate_id, u.id, prog.id, grp.id, free_tracking_id.value,
      p_external_user_id, p_metadata,
      (CASE prog.access_mode WHEN 'private' THEN 'PENDING' ELSE 'APPROVED' END)::partnership_status
    FROM upserted_user u CROSS JOIN prog CROSS JOIN grp LEFT JOIN free_tracking_id ON true
    -- A returning affiliate keeps group, status and tracking id; externalUserId and metadata
    -- are replaced when given (NULL means "not given": the API refuses explicit nulls).
    ON CONFLICT (user_id, program_id) DO UPDATE SET
      external_user_id = COALESCE(EXCLUDED.external_user_id, af.external_user_id),
      metadata = COALESCE(EXCLUDED.metadata, af.metadata),
      updated_at = now()
    -- Re-checked on the row as committed: a concurrent suspension wins over this request.
    WHERE af.status IN ('APPROVED', 'PENDING')
    RETURNING af.id, af.tracking_id, af.status, (af.xmax = 0) AS created
  ),
  accepted_invitation AS (
    UPDATE program_invitations i SET accepted_at = now()
    WHERE i.id = (SELECT invitation.id FROM invitation) AND i.accepted_at IS NULL
      AND EXISTS (SELECT 1 FROM upserted_affiliate ua WHERE ua.created)
    RETURNING i.id
  ),
  token AS (
    INSERT INTO embed_tokens AS t (affiliate_id, token_id, program_id, issued_at, expires_at)
    SELECT ua.id, p_token_id, p_program_id, p_issued_at, p_expires_at
    FROM upserted_affiliate ua
    ON CONFLICT (affiliate_id) DO UPDATE SET
      token_id = EXCLUDED.token_id, program_id = EXCLUDED.program_id,
      issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at
    RETURNING t.token_id
  )
  SELECT
    COALESCE(verdict.error, CASE WHEN ua.id IS NULL THEN 'PARTNERSHIP_INACTIVE' END),
    auth.key_id, auth.team_id,
    ua.id, ua.tracking_id, ua.status, ua.created,
    prog.website_url, prog.referral_param, token.token_id
  FROM verdict CROSS JOIN auth
  LEFT JOIN upserted_affiliate ua ON true LEFT JOIN prog ON true LEFT JOIN token ON true;
END
$$;
