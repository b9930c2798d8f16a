-- The dashboard's counts (affiliate_days, affiliate_totals) kept by triggers on the rows they
-- count, so every writer (the routes' statements, the queue's batches, the operator's payouts)
-- updates them in the same transaction as its own write: they cannot drift from the raw rows.
-- Under a race two writers of one affiliate meet on its rollup rows' locks (an upsert waits for
-- the other's commit and adds to the committed value), so no count is lost.

-- Counts of one event for one affiliate and day, and the all-time totals beside them.
CREATE FUNCTION add_to_rollups_v1(
  p_affiliate_id text, p_day date, p_clicks integer, p_leads integer, p_sales integer,
  p_sale_minor bigint, p_refunded_minor bigint, p_unpaid_minor bigint, p_paid_minor bigint
) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF p_clicks <> 0 OR p_leads <> 0 OR p_sales <> 0 THEN
    INSERT INTO affiliate_days AS d (affiliate_id, day, clicks, leads, sales)
    VALUES (p_affiliate_id, p_day, p_clicks, p_leads, p_sales)
    ON CONFLICT (affiliate_id, day) DO UPDATE SET
      clicks = d.clicks + EXCLUDED.clicks, leads = d.leads + EXCLUDED.leads,
      sales = d.sales + EXCLUDED.sales;
  END IF;
  INSERT INTO affiliate_totals AS t (affiliate_id, clicks, leads, sales, sale_minor,
    refunded_minor, unpaid_minor, paid_minor)
  VALUES (p_affiliate_id, p_clicks, p_leads, p_sales, p_sale_minor, p_refunded_minor,
    p_unpaid_minor, p_paid_minor)
  ON CONFLICT (affiliate_id) DO UPDATE SET
    clicks = t.clicks + EXCLUDED.clicks, leads = t.leads + EXCLUDED.leads,
    sales = t.sales + EXCLUDED.sales, sale_minor = t.sale_minor + EXCLUDED.sale_minor,
    refunded_minor = t.refunded_minor + EXCLUDED.refunded_minor,
    unpaid_minor = t.unpaid_minor + EXCLUDED.unpaid_minor,
    paid_minor = t.paid_minor + EXCLUDED.paid_minor;
END
$$;
--> statement-breakpoint

-- A batch of clicks adds once per affiliate and day, not once per click.
CREATE FUNCTION count_clicks_v1() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v record;
BEGIN
  FOR v IN
    SELECT affiliate_id, (clicked_at AT TIME ZONE 'UTC')::date AS day, count(*)::integer AS n
    FROM new_clicks GROUP BY 1, 2 ORDER BY 1, 2
  LOOP
    PERFORM add_to_rollups_v1(v.affiliate_id, v.day, v.n, 0, 0, 0, 0, 0, 0);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER clicks_count AFTER INSERT ON clicks
REFERENCING NEW TABLE AS new_clicks
FOR EACH STATEMENT EXECUTE FUNCTION count_clicks_v1();
--> statement-breakpoint

-- A sign-up is a lead; a rejected one (a self-referral) is not counted.
CREATE FUNCTION count_referral_v1() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'rejected' THEN
    PERFORM add_to_rollups_v1(NEW.affiliate_id, (NEW.created_at AT TIME ZONE 'UTC')::date,
      0, 1, 0, 0, 0, 0, 0);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER referrals_count AFTER INSERT ON referrals
FOR EACH ROW EXECUTE FUNCTION count_referral_v1();
--> statement-breakpoint

-- A sale on the day it was made; a refund lowers the amount, not the count of sales.
CREATE FUNCTION count_conversion_v1() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM add_to_rollups_v1(NEW.affiliate_id, (NEW.sold_at AT TIME ZONE 'UTC')::date,
      0, 0, 1, NEW.sale_minor, NEW.refunded_minor, 0, 0);
  ELSIF NEW.refunded_minor <> OLD.refunded_minor THEN
    PERFORM add_to_rollups_v1(NEW.affiliate_id, (NEW.sold_at AT TIME ZONE 'UTC')::date,
      0, 0, 0, 0, NEW.refunded_minor - OLD.refunded_minor, 0, 0);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER conversions_count AFTER INSERT OR UPDATE OF refunded_minor ON conversions
FOR EACH ROW EXECUTE FUNCTION count_conversion_v1();
--> statement-breakpoint

-- Earnings by state: what a commission row adds to unpaid or paid, before and after a change.
CREATE FUNCTION count_commission_v1() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_unpaid bigint := 0;
  v_paid bigint := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    v_unpaid := v_unpaid - CASE WHEN OLD.status = 'unpaid' THEN OLD.amount_minor ELSE 0 END;
    v_paid := v_paid - CASE WHEN OLD.status = 'paid' THEN OLD.amount_minor ELSE 0 END;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    v_unpaid := v_unpaid + CASE WHEN NEW.status = 'unpaid' THEN NEW.amount_minor ELSE 0 END;
    v_paid := v_paid + CASE WHEN NEW.status = 'paid' THEN NEW.amount_minor ELSE 0 END;
  END IF;
  IF v_unpaid <> 0 OR v_paid <> 0 THEN
    PERFORM add_to_rollups_v1(coalesce(NEW.affiliate_id, OLD.affiliate_id), current_date,
      0, 0, 0, 0, 0, v_unpaid, v_paid);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER commissions_count AFTER INSERT OR UPDATE OF status, amount_minor OR DELETE ON commissions
FOR EACH ROW EXECUTE FUNCTION count_commission_v1();
--> statement-breakpoint

-- What was recorded before the triggers existed.
INSERT INTO affiliate_days (affiliate_id, day, clicks, leads, sales)
SELECT affiliate_id, day, sum(clicks)::integer, sum(leads)::integer, sum(sales)::integer FROM (
  SELECT affiliate_id, (clicked_at AT TIME ZONE 'UTC')::date AS day, 1 AS clicks, 0 AS leads, 0 AS sales FROM clicks
  UNION ALL
  SELECT affiliate_id, (created_at AT TIME ZONE 'UTC')::date, 0, 1, 0 FROM referrals WHERE status <> 'rejected'
  UNION ALL
  SELECT affiliate_id, (sold_at AT TIME ZONE 'UTC')::date, 0, 0, 1 FROM conversions
) AS e GROUP BY affiliate_id, day;
--> statement-breakpoint

INSERT INTO affiliate_totals (affiliate_id, clicks, leads, sales, sale_minor, refunded_minor, unpaid_minor, paid_minor)
SELECT a.id,
  (SELECT count(*) FROM clicks c WHERE c.affiliate_id = a.id),
  (SELECT count(*) FROM referrals r WHERE r.affiliate_id = a.id AND r.status <> 'rejected'),
  (SELECT count(*) FROM conversions v WHERE v.affiliate_id = a.id),
  (SELECT coalesce(sum(v.sale_minor), 0) FROM conversions v WHERE v.affiliate_id = a.id),
  (SELECT coalesce(sum(v.refunded_minor), 0) FROM conversions v WHERE v.affiliate_id = a.id),
  (SELECT coalesce(sum(m.amount_minor), 0) FROM commissions m WHERE m.affiliate_id = a.id AND m.status = 'unpaid'),
  (SELECT coalesce(sum(m.amount_minor), 0) FROM commissions m WHERE m.affiliate_id = a.id AND m.status = 'paid')
FROM affiliates a;
