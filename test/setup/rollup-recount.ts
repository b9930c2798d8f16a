// How many affiliates' rollups (affiliate_totals, affiliate_days) differ from a recount of the
// raw rows. One statement, so one snapshot: the triggers write the rollups in the same
// transaction as the rows they count, so nothing running concurrently can make them disagree.
// Asserted by a worker test and again by the worker project's global teardown, after every race
// and fault test has run.
export const ROLLUP_DIFFERENCES = `WITH raw AS (
        SELECT a.id,
          (SELECT count(*) FROM clicks c WHERE c.affiliate_id = a.id) AS clicks,
          (SELECT count(*) FROM referrals r WHERE r.affiliate_id = a.id AND r.status <> 'rejected') AS leads,
          (SELECT count(*) FROM conversions v WHERE v.affiliate_id = a.id) AS sales,
          (SELECT coalesce(sum(v.sale_minor), 0) FROM conversions v WHERE v.affiliate_id = a.id) AS sale_minor,
          (SELECT coalesce(sum(v.refunded_minor), 0) FROM conversions v WHERE v.affiliate_id = a.id) AS refunded_minor,
          (SELECT coalesce(sum(m.amount_minor), 0) FROM commissions m WHERE m.affiliate_id = a.id AND m.status = 'unpaid') AS unpaid_minor,
          (SELECT coalesce(sum(m.amount_minor), 0) FROM commissions m WHERE m.affiliate_id = a.id AND m.status = 'paid') AS paid_minor,
          (SELECT coalesce(sum(d.clicks), 0) FROM affiliate_days d WHERE d.affiliate_id = a.id) AS day_clicks,
          (SELECT coalesce(sum(d.leads), 0) FROM affiliate_days d WHERE d.affiliate_id = a.id) AS day_leads,
          (SELECT coalesce(sum(d.sales), 0) FROM affiliate_days d WHERE d.affiliate_id = a.id) AS day_sales
        FROM affiliates a
      )
      SELECT count(*)::int AS differing FROM raw LEFT JOIN affiliate_totals x ON x.affiliate_id = raw.id
      WHERE (raw.clicks, raw.leads, raw.sales, raw.sale_minor, raw.refunded_minor, raw.unpaid_minor, raw.paid_minor)
        IS DISTINCT FROM (coalesce(x.clicks, 0), coalesce(x.leads, 0), coalesce(x.sales, 0),
          coalesce(x.sale_minor, 0), coalesce(x.refunded_minor, 0), coalesce(x.unpaid_minor, 0),
          coalesce(x.paid_minor, 0))
        OR (raw.clicks, raw.leads, raw.sales) IS DISTINCT FROM (raw.day_clicks, raw.day_leads, raw.day_sales)`
