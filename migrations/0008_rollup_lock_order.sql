-- One lock order for the rollup rows, so that their writers never deadlock.
--
-- 0007's add_to_rollups_v1 upserted the day row, then the totals row. A click batch holding one
-- affiliate's clicks of two UTC days (count_clicks_v1 adds day by day) therefore locked
-- (affiliate, day 1), totals, (affiliate, day 2), while a sale of that affiliate on day 2 locked
-- (affiliate, day 2), then totals: each could hold what the other waited for, and PostgreSQL
-- aborted one with 40P01 (the race test "click batches over two days racing sales on the later
-- day" shows it). Sorting the day rows cannot fix it alone: one transaction may fire several
-- triggers for an affiliate on different days in an order the data decides (a sale without a
-- sign-up makes its referral today, then counts the sale on the day it was sold, which may be
-- earlier).
--
-- The order from here on: an affiliate's totals row first, then its day rows. Every rollup write
-- goes through this function, so whoever holds any day row of an affiliate already holds that
-- affiliate's totals row: the totals row is the affiliate's lock, and two writers of one
-- affiliate queue on it instead of meeting in a cycle. A writer of several affiliates (only a
-- click batch) takes them in ascending id (count_clicks_v1's ORDER BY). No write waits longer
-- than before: every writer already held the totals row until its commit.
CREATE OR REPLACE FUNCTION add_to_rollups_v1(
  p_affiliate_id text, p_day date, p_clicks integer, p_leads integer, p_sales integer,
  p_sale_minor bigint, p_refunded_minor bigint, p_unpaid_minor bigint, p_paid_minor bigint
) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
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
  IF p_clicks <> 0 OR p_leads <> 0 OR p_sales <> 0 THEN
    INSERT INTO affiliate_days AS d (affiliate_id, day, clicks, leads, sales)
    VALUES (p_affiliate_id, p_day, p_clicks, p_leads, p_sales)
    ON CONFLICT (affiliate_id, day) DO UPDATE SET
      clicks = d.clicks + EXCLUDED.clicks, leads = d.leads + EXCLUDED.leads,
      sales = d.sales + EXCLUDED.sales;
  END IF;
END
$$;
