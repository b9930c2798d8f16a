-- Version 3 of the token statement (the rule of 0001: a new body is a new version; v2 stays
-- for workers still deployed with it and is dropped in a later migration).
--
-- What changed: how the tracking id of the affiliate row is chosen (free_tracking_id), nothing
-- else. v2 looked for the first free candidate with NOT EXISTS, which PostgreSQL may turn into an
-- anti join that reads every affiliate of the program once and filters them by candidate. It
-- does so when its statistics make the table look small next to the list of candidates (which
-- it estimates at 100 rows, as for any jsonb array): a small table, or one that has grown since
-- it was last analysed. The cost of a request then grew with the program, and a RETURNING
-- request, which keeps its tracking id, paid it too: on PostgreSQL 15 with 3,128 affiliates in
-- one program, analysed while it was small, the probe took 1.0 to 2.0 ms of a 1.1 to 2.4 ms
-- statement (auto_explain), and the benchmark's RETURNING requests without delay took longer
-- than its NEW ones. Now a returning affiliate's own id is used without a probe, and
-- a new affiliate's candidates are each looked up through the (program_id, tracking_id) index,
-- a LIMIT 1 subquery that cannot be flattened into such a join: the cost no longer depends on
-- the program's size.
--
-- Races are unchanged: a concurrent request may still take the id chosen from this statement's
-- snapshot (23505 on affiliates_program_tracking_id_unique, or 23502 when no candidate was free),
-- and the worker retries with fresh candidates, as for v2. A returning affiliate deleted after
-- the snapshot is inserted anew with its old id if that is still free, and retried otherwise.
-- One outcome differs, for the better: a returning affiliate whose every candidate is taken (as
-- its own id usually is the first) no longer fails with 23502 and a retry.

CREATE FUNCTION issue_embed_token_v3(
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
    SELECT af.id, af.status, af.tracking_id FROM affiliates af
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
  -- A returning affiliate's own tracking id, which the upsert below never changes, so nothing is
  -- probed for it (the row's constraints are checked before its conflict is found, so the value
  -- offered must be valid). Otherwise the first candidate that no affiliate of the program has,
  -- one index probe per candidate; NULL when every candidate is taken.
  free_tracking_id AS (
    SELECT COALESCE(
      (SELECT ea.tracking_id FROM existing_affiliate ea),
      (SELECT c.value
        FROM jsonb_array_elements_text(p_tracking_id_candidates) WITH ORDINALITY AS c(value, ord)
        LEFT JOIN LATERAL (
          SELECT true AS taken FROM affiliates x
          WHERE x.program_id = p_program_id AND x.tracking_id = c.value
          LIMIT 1
        ) probe ON true
        WHERE probe.taken IS NULL
        ORDER BY c.ord LIMIT 1)
    ) AS value
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

