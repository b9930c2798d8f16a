-- The statements of the tracking routes (docs/TRACKING.md), one function each, so each request
-- is one round trip and one transaction. They are PL/pgSQL procedures rather than one CTE: each
-- step may need to see what a concurrent request committed while this one waited for a lock
-- (a procedure's statements take a fresh snapshot each, under READ COMMITTED), and every rule
-- that must hold under a race is a constraint of 0004 that the steps insert against, catching
-- the violation where it carries meaning. Each function answers one row: `error` (the first
-- failed check, in the contract's order) or the fields of the answer. Versioned like 0001.

-- The conversion as the API answers it, commission and clawbacks included. `commission_status`
-- is read from the clock: an unpaid commission is pending until hold_until, then approved.
CREATE FUNCTION conversion_answer_v1(p_conversion_id text)
RETURNS TABLE (
  conversion_id text, referral_id text, affiliate_id text, program_id text,
  external_event_id text, sale_minor bigint, refunded_minor bigint, currency text,
  currency_digits smallint, sold_at timestamptz, commission_id text, commission_minor bigint,
  commission_status text, decline_reason text, hold_until timestamptz, clawback_minor bigint
)
LANGUAGE sql STABLE AS $$
  SELECT c.id, c.referral_id, c.affiliate_id, c.program_id, c.external_event_id, c.sale_minor,
    c.refunded_minor, c.currency, pr.currency_digits, c.sold_at, m.id, m.amount_minor,
    CASE WHEN m.status = 'unpaid' THEN CASE WHEN m.hold_until > now() THEN 'pending' ELSE 'approved' END
      ELSE m.status::text END,
    m.decline_reason, m.hold_until,
    (SELECT coalesce(-sum(k.amount_minor), 0)::bigint FROM commissions k
      WHERE k.conversion_id = c.id AND k.kind = 'clawback')
  FROM conversions c
  JOIN programs pr ON pr.id = c.program_id
  LEFT JOIN commissions m ON m.conversion_id = c.id AND m.kind = 'sale'
  WHERE c.id = p_conversion_id
$$;
--> statement-breakpoint

-- The key's checks and its last_used_at, as in issue_embed_token_v2.
CREATE FUNCTION use_api_key_v1(p_digest text, p_permission text)
RETURNS TABLE (error text, key_id text, team_id text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v record;
BEGIN
  SELECT a.error, a.key_id, a.team_id INTO v FROM api_key_check_v2(p_digest, p_permission) a;
  IF v.error IS NULL THEN
    UPDATE api_keys k SET last_used_at = now()
    WHERE k.id = v.key_id AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
  END IF;
  RETURN QUERY SELECT v.error, v.key_id, v.team_id;
END
$$;
--> statement-breakpoint

-- POST /v1/clicks. The click id was signed by the worker from the program and tracking id the
-- host sent; the checks say whether it may be counted. A bot's click is answered, not stored.
CREATE FUNCTION record_click_v1(
  p_key_digest text, p_permission text, p_program_id text, p_tracking_id text,
  p_click_id text, p_clicked_at timestamptz, p_landing_url text, p_referrer text,
  p_ip_hash text, p_user_agent text, p_attributes jsonb, p_counted boolean
)
RETURNS TABLE (error text, key_id text, team_id text, affiliate_id text)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
DECLARE
  v_auth record;
  v_prog record;
  v_aff record;
BEGIN
  SELECT * INTO v_auth FROM use_api_key_v1(p_key_digest, p_permission);
  IF v_auth.error IS NOT NULL THEN
    RETURN QUERY SELECT v_auth.error, NULL::text, NULL::text, NULL::text; RETURN;
  END IF;
  SELECT pr.id, pr.status INTO v_prog FROM programs pr
  WHERE pr.id = p_program_id AND pr.team_id = v_auth.team_id;
  SELECT af.id, af.status INTO v_aff FROM affiliates af
  WHERE af.program_id = p_program_id AND af.tracking_id = p_tracking_id AND v_prog.id IS NOT NULL;
  RETURN QUERY SELECT
    CASE
      WHEN v_prog.id IS NULL THEN 'PROGRAM_NOT_FOUND'
      WHEN v_prog.status <> 'active' THEN 'PROGRAM_NOT_ACTIVE'
      WHEN v_aff.id IS NULL THEN 'AFFILIATE_NOT_FOUND'
      WHEN v_aff.status <> 'APPROVED' THEN 'PARTNERSHIP_INACTIVE'
    END,
    v_auth.key_id, v_auth.team_id, v_aff.id;
  IF v_aff.id IS NOT NULL AND v_aff.status = 'APPROVED' AND v_prog.status = 'active' AND p_counted THEN
    -- The id is unique by construction; a repeat of the same id (a retried request) counts once.
    INSERT INTO clicks (id, program_id, affiliate_id, source, clicked_at, landing_url, referrer,
      ip_hash, user_agent, attributes)
    VALUES (p_click_id, p_program_id, v_aff.id, 'api', p_clicked_at, p_landing_url, p_referrer,
      p_ip_hash, p_user_agent, p_attributes)
    ON CONFLICT (id) DO NOTHING;
  END IF;
END
$$;
--> statement-breakpoint

-- POST /v1/signups. The click id was verified by the worker (signature), which passes what it
-- carries: program, tracking id, click time. A repeat of the same click id answers the referral
-- it made (whatever the other fields say). Races: many sign-ups on one click meet on
-- referrals_click_unique (the no-op update waits for the winner and returns its row); the same
-- customer from two clicks meets on referrals_program_email_unique or _external_user_unique,
-- and the loser answers CUSTOMER_ALREADY_REFERRED with the winner's id.
CREATE FUNCTION record_signup_v1(
  p_key_digest text, p_permission text, p_program_id text, p_tracking_id text,
  p_click_id text, p_clicked_at timestamptz, p_email text, p_external_user_id text, p_name text,
  p_new_referral_id text, p_new_commission_id text
)
RETURNS TABLE (error text, existing_referral_id text, key_id text, team_id text, created boolean,
  referral jsonb)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
DECLARE
  v_auth record;
  v_prog record;
  v_aff record;
  v_terms record;
  v_other text;
  v_ref record;
  v_self boolean;
BEGIN
  SELECT * INTO v_auth FROM use_api_key_v1(p_key_digest, p_permission);
  IF v_auth.error IS NOT NULL THEN
    RETURN QUERY SELECT v_auth.error, NULL::text, NULL::text, NULL::text, NULL::boolean, NULL::jsonb;
    RETURN;
  END IF;
  SELECT pr.id, pr.cookie_days, pr.currency INTO v_prog FROM programs pr
  WHERE pr.id = p_program_id AND pr.team_id = v_auth.team_id;
  SELECT af.id, af.status, af.group_id, af.external_user_id, u.email INTO v_aff
  FROM affiliates af JOIN users u ON u.id = af.user_id
  WHERE af.program_id = p_program_id AND af.tracking_id = p_tracking_id AND v_prog.id IS NOT NULL;
  IF v_aff.id IS NULL THEN
    -- Another team's click, or an affiliate that no longer exists: not a click of this key's.
    RETURN QUERY SELECT 'CLICK_NOT_FOUND', NULL::text, v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::jsonb;
    RETURN;
  END IF;
  SELECT r.id INTO v_ref FROM referrals r WHERE r.click_id = p_click_id;
  IF v_ref.id IS NULL THEN
    IF p_clicked_at < now() - make_interval(days => v_prog.cookie_days) THEN
      RETURN QUERY SELECT 'CLICK_EXPIRED', NULL::text, v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::jsonb;
      RETURN;
    END IF;
    SELECT r.id INTO v_other FROM referrals r
    WHERE r.program_id = p_program_id
      AND (r.email = p_email OR r.external_user_id = p_external_user_id)
    LIMIT 1;
    IF v_other IS NOT NULL THEN
      RETURN QUERY SELECT 'CUSTOMER_ALREADY_REFERRED', v_other, v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::jsonb;
      RETURN;
    END IF;
  END IF;
  SELECT g.reward_type, g.reward_basis_points, g.reward_fixed_minor, g.reward_duration,
    g.reward_months, g.hold_days, g.lead_reward_minor INTO v_terms
  FROM groups g WHERE g.program_id = p_program_id AND g.id = v_aff.group_id;
  v_self := (p_email IS NOT NULL AND p_email = v_aff.email)
    OR (p_external_user_id IS NOT NULL AND p_external_user_id = v_aff.external_user_id);
  BEGIN
    INSERT INTO referrals AS r (id, program_id, affiliate_id, click_id, email, external_user_id,
      name, status, rejection_reason, reward_type, reward_basis_points, reward_fixed_minor,
      reward_duration, reward_months, hold_days, lead_reward_minor)
    VALUES (p_new_referral_id, p_program_id, v_aff.id, p_click_id, p_email, p_external_user_id,
      p_name, CASE WHEN v_self THEN 'rejected' ELSE 'lead' END::referral_status,
      CASE WHEN v_self THEN 'self_referral' END, v_terms.reward_type, v_terms.reward_basis_points,
      v_terms.reward_fixed_minor, v_terms.reward_duration, v_terms.reward_months,
      v_terms.hold_days, v_terms.lead_reward_minor)
    ON CONFLICT (click_id) DO UPDATE SET click_id = EXCLUDED.click_id
    RETURNING r.id, r.status, r.lead_reward_minor, r.hold_days, (r.xmax = 0) AS created INTO v_ref;
  EXCEPTION WHEN unique_violation THEN
    -- The same customer, from another click, committed while this request waited.
    SELECT r.id INTO v_other FROM referrals r
    WHERE r.program_id = p_program_id
      AND (r.email = p_email OR r.external_user_id = p_external_user_id)
    LIMIT 1;
    RETURN QUERY SELECT 'CUSTOMER_ALREADY_REFERRED', v_other, v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::jsonb;
    RETURN;
  END;
  IF v_ref.created AND v_ref.status = 'lead' AND v_ref.lead_reward_minor IS NOT NULL
    AND v_aff.status = 'APPROVED' THEN
    INSERT INTO commissions (id, program_id, affiliate_id, referral_id, kind, amount_minor,
      original_minor, currency, status, base_minor, reward_type, reward_fixed_minor, hold_days,
      hold_until)
    VALUES (p_new_commission_id, p_program_id, v_aff.id, v_ref.id, 'lead',
      v_ref.lead_reward_minor, v_ref.lead_reward_minor, v_prog.currency, 'unpaid', 0, 'fixed',
      v_ref.lead_reward_minor, v_ref.hold_days, now() + make_interval(days => v_ref.hold_days))
    ON CONFLICT DO NOTHING;
  END IF;
  -- Read here, where this function's own writes are visible (the caller's snapshot is older).
  RETURN QUERY SELECT NULL::text, NULL::text, v_auth.key_id, v_auth.team_id, v_ref.created,
    (SELECT to_jsonb(r) FROM referrals r WHERE r.id = v_ref.id);
END
$$;
--> statement-breakpoint

-- POST /v1/conversions. Exactly once per (program, external_event_id): the referral's row is
-- locked first, so sales of one referral are computed one after the other (the first sale, and
-- so `reward_duration`, is decided on committed data); conversions_program_event_unique decides
-- between identical requests, and the loser answers the winner's conversion.
CREATE FUNCTION record_conversion_v1(
  p_key_digest text, p_permission text, p_external_event_id text, p_sale_amount numeric,
  p_currency text, p_referral_id text, p_click_id text, p_click_program_id text,
  p_click_tracking_id text, p_click_clicked_at timestamptz, p_external_user_id text,
  p_customer_id text, p_is_subscription boolean, p_sold_at timestamptz, p_metadata jsonb,
  p_new_conversion_id text, p_new_commission_id text, p_new_referral_id text
)
RETURNS TABLE (error text, key_id text, team_id text, created boolean, currency text,
  currency_digits smallint, answer jsonb)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
DECLARE
  v_auth record;
  v_ids text[];
  v_ref referrals%ROWTYPE;
  v_prog record;
  v_aff record;
  v_minor numeric;
  v_existing record;
  v_conv_id text;
  v_amount bigint;
  v_decline text;
  v_first boolean;
  v_made_referral text;
BEGIN
  SELECT * INTO v_auth FROM use_api_key_v1(p_key_digest, p_permission);
  IF v_auth.error IS NOT NULL THEN
    RETURN QUERY SELECT v_auth.error, NULL::text, NULL::text, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
    RETURN;
  END IF;
  IF p_referral_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM referrals r JOIN programs pr ON pr.id = r.program_id
    WHERE r.id = p_referral_id AND pr.team_id = v_auth.team_id
  ) THEN
    RETURN QUERY SELECT 'REFERRAL_NOT_FOUND', v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
    RETURN;
  END IF;
  -- Every identifier given must name the same referral of this team.
  SELECT array_agg(DISTINCT r.id) INTO v_ids
  FROM referrals r JOIN programs pr ON pr.id = r.program_id AND pr.team_id = v_auth.team_id
  WHERE r.id = p_referral_id OR r.click_id = p_click_id OR r.external_user_id = p_external_user_id
    OR r.customer_id = p_customer_id;
  IF cardinality(v_ids) > 1 THEN
    RETURN QUERY SELECT 'REFERRAL_MISMATCH', v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
    RETURN;
  END IF;
  IF v_ids IS NULL THEN
    -- A sale without a sign-up: the click makes the referral.
    IF p_click_program_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM programs pr WHERE pr.id = p_click_program_id AND pr.team_id = v_auth.team_id
    ) THEN
      RETURN QUERY SELECT 'REFERRAL_NOT_FOUND', v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
      RETURN;
    END IF;
    INSERT INTO referrals AS r (id, program_id, affiliate_id, click_id, external_user_id,
      customer_id, status, reward_type, reward_basis_points, reward_fixed_minor, reward_duration,
      reward_months, hold_days, lead_reward_minor)
    SELECT p_new_referral_id, af.program_id, af.id, p_click_id, p_external_user_id, p_customer_id,
      'lead', g.reward_type, g.reward_basis_points, g.reward_fixed_minor, g.reward_duration,
      g.reward_months, g.hold_days, g.lead_reward_minor
    FROM affiliates af JOIN groups g ON g.id = af.group_id AND g.program_id = af.program_id
    WHERE af.program_id = p_click_program_id AND af.tracking_id = p_click_tracking_id
    ON CONFLICT (click_id) DO UPDATE SET click_id = EXCLUDED.click_id
    RETURNING r.id INTO v_made_referral;
    IF v_made_referral IS NULL THEN
      RETURN QUERY SELECT 'REFERRAL_NOT_FOUND', v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
      RETURN;
    END IF;
    v_ids := ARRAY[v_made_referral];
  END IF;
  -- Locked: sales of one referral are computed one at a time, on committed data.
  SELECT * INTO v_ref FROM referrals r WHERE r.id = v_ids[1] FOR UPDATE;
  IF (p_click_id IS NOT NULL AND v_ref.click_id <> p_click_id)
    OR (p_customer_id IS NOT NULL AND v_ref.customer_id IS NOT NULL AND v_ref.customer_id <> p_customer_id)
    OR (p_external_user_id IS NOT NULL AND v_ref.external_user_id IS NOT NULL
      AND v_ref.external_user_id <> p_external_user_id) THEN
    RETURN QUERY SELECT 'REFERRAL_MISMATCH', v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
    RETURN;
  END IF;
  SELECT pr.currency, pr.currency_digits INTO v_prog FROM programs pr WHERE pr.id = v_ref.program_id;
  IF p_currency IS NOT NULL AND p_currency <> v_prog.currency THEN
    RETURN QUERY SELECT 'CURRENCY_MISMATCH', v_auth.key_id, v_auth.team_id, NULL::boolean, v_prog.currency, v_prog.currency_digits, NULL::jsonb;
    RETURN;
  END IF;
  v_minor := p_sale_amount * (10::numeric ^ v_prog.currency_digits);
  IF v_minor <> trunc(v_minor) THEN
    RETURN QUERY SELECT 'AMOUNT_PRECISION', v_auth.key_id, v_auth.team_id, NULL::boolean, v_prog.currency, v_prog.currency_digits, NULL::jsonb;
    RETURN;
  END IF;
  INSERT INTO conversions AS c (id, program_id, affiliate_id, referral_id, external_event_id,
    sale_minor, currency, is_subscription, metadata, sold_at)
  VALUES (p_new_conversion_id, v_ref.program_id, v_ref.affiliate_id, v_ref.id, p_external_event_id,
    v_minor::bigint, v_prog.currency, coalesce(p_is_subscription, false), p_metadata, p_sold_at)
  ON CONFLICT (program_id, external_event_id) DO NOTHING
  RETURNING c.id INTO v_conv_id;
  IF v_conv_id IS NULL OR v_conv_id <> p_new_conversion_id THEN
    -- Recorded before (or by a request that won the race): the very same sale, or a conflict.
    SELECT c.id, c.sale_minor, c.referral_id INTO v_existing FROM conversions c
    WHERE c.program_id = v_ref.program_id AND c.external_event_id = p_external_event_id;
    RETURN QUERY SELECT
      CASE WHEN v_existing.sale_minor <> v_minor::bigint OR v_existing.referral_id <> v_ref.id
        THEN 'IDEMPOTENCY_CONFLICT' END,
      v_auth.key_id, v_auth.team_id, false, v_prog.currency, v_prog.currency_digits,
      (SELECT to_jsonb(x) FROM conversion_answer_v1(v_existing.id) x);
    RETURN;
  END IF;
  v_first := v_ref.converted_at IS NULL;
  SELECT af.status INTO v_aff FROM affiliates af WHERE af.id = v_ref.affiliate_id;
  v_decline := CASE
    WHEN v_ref.status = 'rejected' THEN v_ref.rejection_reason
    WHEN v_aff.status <> 'APPROVED' THEN 'partnership_not_approved'
    WHEN v_ref.reward_duration = 'once' AND NOT v_first THEN 'reward_duration_over'
    WHEN v_ref.reward_duration = 'months' AND NOT v_first
      AND p_sold_at >= v_ref.converted_at + make_interval(months => v_ref.reward_months)
      THEN 'reward_duration_over'
  END;
  -- round() of numeric rounds half away from zero, once, here.
  v_amount := CASE
    WHEN v_decline IS NOT NULL THEN 0
    WHEN v_ref.reward_type = 'fixed' THEN v_ref.reward_fixed_minor
    ELSE round(v_minor * v_ref.reward_basis_points / 10000)::bigint
  END;
  INSERT INTO commissions (id, program_id, affiliate_id, referral_id, conversion_id, kind,
    amount_minor, original_minor, currency, status, decline_reason, base_minor, reward_type,
    reward_basis_points, reward_fixed_minor, hold_days, hold_until)
  VALUES (p_new_commission_id, v_ref.program_id, v_ref.affiliate_id, v_ref.id, v_conv_id, 'sale',
    v_amount, v_amount, v_prog.currency,
    CASE WHEN v_decline IS NULL THEN 'unpaid' ELSE 'declined' END::commission_status, v_decline,
    v_minor::bigint, v_ref.reward_type,
    CASE WHEN v_ref.reward_type = 'percentage' THEN v_ref.reward_basis_points END,
    CASE WHEN v_ref.reward_type = 'fixed' THEN v_ref.reward_fixed_minor END,
    v_ref.hold_days, p_sold_at + make_interval(days => v_ref.hold_days));
  BEGIN
    -- The first sale makes the lead a customer and binds the ids sent with it, so renewals
    -- need only one of them.
    UPDATE referrals r SET
      status = CASE WHEN r.status = 'lead' THEN 'customer'::referral_status ELSE r.status END,
      converted_at = coalesce(r.converted_at, p_sold_at),
      customer_id = coalesce(r.customer_id, p_customer_id),
      external_user_id = coalesce(r.external_user_id, p_external_user_id)
    WHERE r.id = v_ref.id;
  EXCEPTION WHEN unique_violation THEN
    -- The customer or external user id is another referral's: nothing of this sale is kept.
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'REFERRAL_MISMATCH';
  END;
  -- Read here, where this function's own writes are visible (the caller's snapshot is older).
  RETURN QUERY SELECT NULL::text, v_auth.key_id, v_auth.team_id, true, v_prog.currency,
    v_prog.currency_digits, (SELECT to_jsonb(x) FROM conversion_answer_v1(v_conv_id) x);
END
$$;
--> statement-breakpoint

-- POST /v1/conversions/{id}/refund. The conversion's row is locked, so racing refunds apply one
-- after the other and each sees what the others refunded; conversions_refund_within_sale stops
-- any total above the sale even so. An unpaid commission shrinks in proportion, computed from
-- totals (never by subtracting rounded pieces); a paid one, or one already in a payout, is left
-- as it is and a negative clawback takes the refunded share.
CREATE FUNCTION refund_conversion_v1(
  p_key_digest text, p_permission text, p_conversion_id text, p_amount numeric, p_reason text,
  p_external_event_id text, p_refunded_at timestamptz, p_new_refund_id text, p_new_clawback_id text
)
RETURNS TABLE (error text, key_id text, team_id text, created boolean, currency text,
  currency_digits smallint, answer jsonb)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
DECLARE
  v_auth record;
  v_conv record;
  v_prev record;
  v_amount numeric;
  v_remaining bigint;
  v_after bigint;
  v_com record;
  v_share bigint;
BEGIN
  SELECT * INTO v_auth FROM use_api_key_v1(p_key_digest, p_permission);
  IF v_auth.error IS NOT NULL THEN
    RETURN QUERY SELECT v_auth.error, NULL::text, NULL::text, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
    RETURN;
  END IF;
  SELECT c.id, c.program_id, c.sale_minor, c.refunded_minor, pr.currency, pr.currency_digits INTO v_conv
  FROM conversions c JOIN programs pr ON pr.id = c.program_id AND pr.team_id = v_auth.team_id
  WHERE c.id = p_conversion_id
  FOR UPDATE OF c;
  IF v_conv.id IS NULL THEN
    RETURN QUERY SELECT 'CONVERSION_NOT_FOUND', v_auth.key_id, v_auth.team_id, NULL::boolean, NULL::text, NULL::smallint, NULL::jsonb;
    RETURN;
  END IF;
  IF p_external_event_id IS NOT NULL THEN
    SELECT f.conversion_id, f.amount_minor INTO v_prev FROM refunds f
    WHERE f.program_id = v_conv.program_id AND f.external_event_id = p_external_event_id;
    IF v_prev.conversion_id IS NOT NULL THEN
      -- The same refund again: the sale as it stands; or the id of another sale's refund.
      RETURN QUERY SELECT CASE WHEN v_prev.conversion_id <> v_conv.id THEN 'IDEMPOTENCY_CONFLICT' END,
        v_auth.key_id, v_auth.team_id, false, v_conv.currency, v_conv.currency_digits,
        (SELECT to_jsonb(x) FROM conversion_answer_v1(v_conv.id) x);
      RETURN;
    END IF;
  END IF;
  v_remaining := v_conv.sale_minor - v_conv.refunded_minor;
  IF v_remaining = 0 THEN
    RETURN QUERY SELECT 'ALREADY_REFUNDED', v_auth.key_id, v_auth.team_id, NULL::boolean, v_conv.currency, v_conv.currency_digits, NULL::jsonb;
    RETURN;
  END IF;
  v_amount := coalesce(p_amount * (10::numeric ^ v_conv.currency_digits), v_remaining);
  IF v_amount <> trunc(v_amount) THEN
    RETURN QUERY SELECT 'AMOUNT_PRECISION', v_auth.key_id, v_auth.team_id, NULL::boolean, v_conv.currency, v_conv.currency_digits, NULL::jsonb;
    RETURN;
  END IF;
  IF v_amount > v_remaining THEN
    RETURN QUERY SELECT 'REFUND_EXCEEDS_SALE', v_auth.key_id, v_auth.team_id, NULL::boolean, v_conv.currency, v_conv.currency_digits, NULL::jsonb;
    RETURN;
  END IF;
  BEGIN
    INSERT INTO refunds (id, program_id, conversion_id, amount_minor, reason, external_event_id, refunded_at)
    VALUES (p_new_refund_id, v_conv.program_id, v_conv.id, v_amount::bigint, p_reason, p_external_event_id,
      coalesce(p_refunded_at, now()));
  EXCEPTION WHEN unique_violation THEN
    -- The same refund event id, committed meanwhile for another sale of the program.
    RETURN QUERY SELECT 'IDEMPOTENCY_CONFLICT', v_auth.key_id, v_auth.team_id, NULL::boolean, v_conv.currency, v_conv.currency_digits, NULL::jsonb;
    RETURN;
  END;
  UPDATE conversions c SET refunded_minor = c.refunded_minor + v_amount::bigint WHERE c.id = v_conv.id
  RETURNING c.refunded_minor INTO v_after;
  SELECT m.id, m.status, m.payout_id, m.original_minor INTO v_com FROM commissions m
  WHERE m.conversion_id = v_conv.id AND m.kind = 'sale'
  FOR UPDATE;
  IF v_com.id IS NOT NULL AND v_com.status = 'unpaid' AND v_com.payout_id IS NULL THEN
    UPDATE commissions m SET
      amount_minor = round(m.original_minor::numeric * (v_conv.sale_minor - v_after) / v_conv.sale_minor)::bigint,
      status = CASE WHEN v_after = v_conv.sale_minor THEN 'refunded' ELSE 'unpaid' END::commission_status
    WHERE m.id = v_com.id;
  ELSIF v_com.id IS NOT NULL AND v_com.status IN ('unpaid', 'paid') THEN
    -- The share of the commission this refund takes: what remained before, less what remains.
    v_share := round(v_com.original_minor::numeric * (v_conv.sale_minor - v_conv.refunded_minor) / v_conv.sale_minor)::bigint
      - round(v_com.original_minor::numeric * (v_conv.sale_minor - v_after) / v_conv.sale_minor)::bigint;
    IF v_share > 0 THEN
      INSERT INTO commissions (id, program_id, affiliate_id, referral_id, conversion_id, kind,
        amount_minor, original_minor, currency, status, base_minor, reward_type,
        reward_basis_points, reward_fixed_minor, hold_days, hold_until)
      SELECT p_new_clawback_id, m.program_id, m.affiliate_id, m.referral_id, m.conversion_id,
        'clawback', -v_share, -v_share, m.currency, 'unpaid', v_amount::bigint, m.reward_type,
        m.reward_basis_points, m.reward_fixed_minor, 0, now()
      FROM commissions m WHERE m.id = v_com.id;
    END IF;
  END IF;
  -- Read here, where this function's own writes are visible (the caller's snapshot is older).
  RETURN QUERY SELECT NULL::text, v_auth.key_id, v_auth.team_id, true, v_conv.currency,
    v_conv.currency_digits, (SELECT to_jsonb(x) FROM conversion_answer_v1(v_conv.id) x);
END
$$;
--> statement-breakpoint

-- The queue consumer's batch of the tracking script's clicks, in one statement. A click counts
-- only for an approved affiliate of an active program, sent from one of the program's tracking
-- origins; the rest of the batch is dropped. Idempotent by click id: the queue delivers at least
-- once, and a batch delivered again (or a visitor's repeat click within the hour, which gets the
-- same id) inserts nothing twice. Answers how many clicks were new.
CREATE FUNCTION record_script_clicks_v1(p_clicks jsonb)
RETURNS integer
LANGUAGE sql VOLATILE AS $$
  WITH c AS (
    SELECT * FROM jsonb_to_recordset(p_clicks) AS x(id text, program_id text, tracking_id text,
      clicked_at timestamptz, landing_url text, referrer text, ip_hash text, user_agent text,
      origin text)
  ),
  inserted AS (
    INSERT INTO clicks (id, program_id, affiliate_id, source, clicked_at, landing_url, referrer,
      ip_hash, user_agent)
    SELECT c.id, c.program_id, af.id, 'script', c.clicked_at, c.landing_url, c.referrer,
      c.ip_hash, c.user_agent
    FROM c
    JOIN programs pr ON pr.id = c.program_id AND pr.status = 'active'
      AND c.origin = ANY (pr.tracking_origins)
    JOIN affiliates af ON af.program_id = c.program_id AND af.tracking_id = c.tracking_id
      AND af.status = 'APPROVED'
    ON CONFLICT (id) DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::integer FROM inserted
$$;
