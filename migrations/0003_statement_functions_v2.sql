-- Version 2 of the token statement (the rule of 0001: a new body is a new version; v1 stays
-- for workers still deployed with it and is dropped in a later migration).
--
-- What changed:
-- * Tenant-safe identities: the name and image are stored on the affiliate, from the request
--   of the team whose program it belongs to, and used only when the affiliate is created; the
--   user row is the email alone. No team can choose what another team's dashboard shows.
-- * Revocation: the token row records the API key that minted it and the key's and program's
--   token_epoch. Disabling the key or deactivating the program raises the epoch (triggers
--   below), so the tokens minted before are dead for good, whatever is restored later; a
--   partnership leaving APPROVED/PENDING deletes the affiliate's token row.

-- api_key_check_v1 plus the key's token epoch. STABLE for the reason given in 0001.
CREATE FUNCTION api_key_check_v2(p_digest text, p_permission text)
RETURNS TABLE (error text, key_id text, team_id text, token_epoch integer)
LANGUAGE sql STABLE AS $$
  SELECT
    CASE
      WHEN k.id IS NULL THEN 'INVALID_API_KEY'
      WHEN k.disabled THEN 'API_KEY_DISABLED'
      WHEN k.expires_at IS NOT NULL AND k.expires_at <= now() THEN 'API_KEY_EXPIRED'
      WHEN NOT (p_permission = ANY (k.permissions)) THEN 'INSUFFICIENT_PERMISSIONS'
    END,
    k.id, k.team_id, k.token_epoch
  FROM (SELECT 1) AS one LEFT JOIN api_keys k ON k.digest = p_digest
$$;
--> statement-breakpoint

-- The whole token request as one statement: the design, the order of its checks and its
-- behaviour under races are described above issue_embed_token_v1 (0001).
CREATE FUNCTION issue_embed_token_v2(
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
  WITH auth AS (SELECT * FROM api_key_check_v2(p_key_digest, p_permission)),
  -- Identical to authenticate_api_key_v1's key_used (0001): change both in the same version.
  key_used AS (
    UPDATE api_keys k SET last_used_at = now()
    WHERE k.id = (SELECT auth.key_id FROM auth WHERE auth.error IS NULL)
      AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
  ),
  prog AS (
    SELECT pr.id, pr.status, pr.access_mode, pr.default_group_id, pr.website_url, pr.referral_param,
      pr.token_epoch
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
  -- The person, by email: nothing else about them is global, so no team's request can change
  -- what another team's dashboard shows.
  upserted_user AS (
    INSERT INTO users AS u (id, email)
    SELECT p_new_user_id, p_email
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
      (id, user_id, program_id, group_id, tracking_id, name, image, external_user_id, metadata, status)
    SELECT p_new_affiliate_id, u.id, prog.id, grp.id, free_tracking_id.value,
      p_name, p_image, p_external_user_id, p_metadata,
      (CASE prog.access_mode WHEN 'private' THEN 'PENDING' ELSE 'APPROVED' END)::partnership_status
    FROM upserted_user u CROSS JOIN prog CROSS JOIN grp LEFT JOIN free_tracking_id ON true
    -- A returning affiliate keeps group, status, tracking id, name and image; externalUserId
    -- and metadata are replaced when given (NULL means "not given").
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
    -- The key and both epochs as this statement's snapshot saw them: a deactivation or a key
    -- disabled after that snapshot has raised the epoch, so this token is born dead rather than
    -- alive once the program or key is restored.
    INSERT INTO embed_tokens AS t
      (affiliate_id, token_id, program_id, api_key_id, api_key_epoch, program_epoch, issued_at, expires_at)
    SELECT ua.id, p_token_id, p_program_id, auth.key_id, auth.token_epoch, prog.token_epoch,
      p_issued_at, p_expires_at
    FROM upserted_affiliate ua CROSS JOIN auth CROSS JOIN prog
    ON CONFLICT (affiliate_id) DO UPDATE SET
      token_id = EXCLUDED.token_id, program_id = EXCLUDED.program_id,
      api_key_id = EXCLUDED.api_key_id, api_key_epoch = EXCLUDED.api_key_epoch,
      program_epoch = EXCLUDED.program_epoch,
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

--> statement-breakpoint

-- Revocation. A trigger, not the operator's code, so every way of changing a status revokes.
-- Under a race with a token request: the request's upsert holds the affiliate's row, so a
-- status change either waits for it and then deletes the token it wrote, or commits first and
-- the request finds the partnership inactive. Epochs need no lock: a token records the epoch
-- its statement saw, and a raise committed at any time after that outdates it.
CREATE FUNCTION revoke_affiliate_tokens_v1() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM embed_tokens WHERE affiliate_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER affiliates_revoke_tokens
AFTER UPDATE OF status ON affiliates
FOR EACH ROW WHEN (NEW.status NOT IN ('APPROVED', 'PENDING') AND OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION revoke_affiliate_tokens_v1();
--> statement-breakpoint

CREATE FUNCTION raise_token_epoch_v1() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.token_epoch := OLD.token_epoch + 1;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER programs_raise_token_epoch
BEFORE UPDATE OF status ON programs
FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status <> 'active')
EXECUTE FUNCTION raise_token_epoch_v1();
--> statement-breakpoint

CREATE TRIGGER api_keys_raise_token_epoch
BEFORE UPDATE OF disabled ON api_keys
FOR EACH ROW WHEN (NOT OLD.disabled AND NEW.disabled)
EXECUTE FUNCTION raise_token_epoch_v1();
