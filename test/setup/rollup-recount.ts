import { MAX_COOKIE_DAYS } from '../../src/admin/operations'
import { CLICK_RETENTION_EXTRA_DAYS } from '../../src/data/statements/old-clicks'

// How many affiliates' rollups (affiliate_totals, affiliate_days) differ from a recount of the
// raw rows. One statement, so one snapshot: the triggers write the rollups in the same
// transaction as the rows they count, so nothing running concurrently can make them disagree.
// Asserted by a worker test and again by the worker project's global teardown, after every race
// and fault test has run.
//
// The Cron Trigger deletes raw clicks older than the longest cookie_days plus
// CLICK_RETENTION_EXTRA_DAYS, and the rollups keep counting them. So clicks are recounted per
// affiliate and UTC day: equal on every day from `kept` on, which no deletion can have reached
// whatever the programs' cookie_days were when it ran (they are at most MAX_COOKIE_DAYS, and it
// ran before now); on older days the raw rows may only be fewer than the count. The all-time
// click total is then checked against the sum of the days. Leads, sales and money are never
// deleted and are recounted whole.
const KEPT_DAYS = MAX_COOKIE_DAYS + CLICK_RETENTION_EXTRA_DAYS

export const ROLLUP_DIFFERENCES = `WITH kept AS (
        SELECT ((now() AT TIME ZONE 'UTC') - interval '${KEPT_DAYS} days')::date + 1 AS since
      ),
      raw AS (
        SELECT a.id,
          (SELECT count(*) FROM referrals r WHERE r.affiliate_id = a.id AND r.status <> 'rejected') AS leads,
          (SELECT count(*) FROM conversions v WHERE v.affiliate_id = a.id) AS sales,
          (SELECT coalesce(sum(v.sale_minor), 0) FROM conversions v WHERE v.affiliate_id = a.id) AS sale_minor,
          (SELECT coalesce(sum(v.refunded_minor), 0) FROM conversions v WHERE v.affiliate_id = a.id) AS refunded_minor,
          (SELECT coalesce(sum(m.amount_minor), 0) FROM commissions m WHERE m.affiliate_id = a.id AND m.status = 'unpaid') AS unpaid_minor,
          (SELECT coalesce(sum(m.amount_minor), 0) FROM commissions m WHERE m.affiliate_id = a.id AND m.status = 'paid') AS paid_minor,
          (SELECT coalesce(sum(d.clicks), 0) FROM affiliate_days d WHERE d.affiliate_id = a.id) AS day_clicks,
          (SELECT coalesce(sum(d.leads), 0) FROM affiliate_days d WHERE d.affiliate_id = a.id) AS day_leads,
          (SELECT coalesce(sum(d.sales), 0) FROM affiliate_days d WHERE d.affiliate_id = a.id) AS day_sales,
          EXISTS (
            SELECT 1
            FROM (
              SELECT (c.clicked_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
              FROM clicks c WHERE c.affiliate_id = a.id GROUP BY 1
            ) counted
            FULL JOIN (
              SELECT d.day, d.clicks AS n FROM affiliate_days d WHERE d.affiliate_id = a.id
            ) rolled USING (day)
            WHERE CASE WHEN day >= k.since THEN coalesce(counted.n, 0) <> coalesce(rolled.n, 0)
              ELSE coalesce(counted.n, 0) > coalesce(rolled.n, 0) END
          ) AS day_clicks_differ
        FROM affiliates a CROSS JOIN kept k
      )
      SELECT count(*)::int AS differing FROM raw LEFT JOIN affiliate_totals x ON x.affiliate_id = raw.id
      WHERE (raw.leads, raw.sales, raw.sale_minor, raw.refunded_minor, raw.unpaid_minor, raw.paid_minor)
        IS DISTINCT FROM (coalesce(x.leads, 0), coalesce(x.sales, 0), coalesce(x.sale_minor, 0),
          coalesce(x.refunded_minor, 0), coalesce(x.unpaid_minor, 0), coalesce(x.paid_minor, 0))
        OR (coalesce(x.clicks, 0), raw.leads, raw.sales) IS DISTINCT FROM (raw.day_clicks, raw.day_leads, raw.day_sales)
        OR raw.day_clicks_differ`
