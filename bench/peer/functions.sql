-- Peer queries: the same search and the same matching as carematch, written in SQL.
-- peer_pair is engine/score.c's pair score with its default weights and constants (text factor
-- left at 0: see bench/README.md); it is a single-SELECT SQL function so the planner inlines it.

CREATE OR REPLACE FUNCTION peer_pair(o offers, c candidates, km float8)
RETURNS TABLE (eligible bool, score float8) LANGUAGE sql IMMUTABLE AS $$
SELECT e.elig,
       round(((0.25 * e.sk + 0.20 * e.ce + 0.20 * e.co + 0.15 * e.sc + 0.08 * e.ct
               + 0.07 * e.ex) * 1000)::numeric) / 10.0
FROM (SELECT
        CASE WHEN t.tot = 0 THEN 1.0 ELSE t.got::float8 / t.tot END AS sk,
        CASE WHEN t.hreq = t.nreq
             THEN CASE WHEN t.nopt > 0 THEN 0.8 + 0.2 * t.hopt / t.nopt ELSE 1.0 END
             ELSE t.hreq::float8 / t.nreq END AS ce,
        CASE WHEN t.mins IS NULL OR t.mins > c.max_minutes THEN 0.0
             WHEN t.mins <= 0.4 * c.max_minutes THEN 1.0
             ELSE (c.max_minutes - t.mins) / (0.6 * c.max_minutes) END AS co,
        t.sc,
        0.6 * (CASE WHEN cardinality(c.contracts) = 0 OR o.contract = ANY (c.contracts)
                    THEN 1 ELSE 0 END) + 0.4 * t.hfit AS ct,
        least(c.experience / 24.0, 1.0) AS ex,
        (t.hreq = t.nreq AND t.mins IS NOT NULL AND t.mins <= c.max_minutes
         AND NOT (o.licence AND NOT c.licence) AND t.sc >= 0.5) AS elig
      FROM (SELECT
              2 * icount(o.skills_req & c.skills) + icount(o.skills_opt & c.skills) AS got,
              2 * icount(o.skills_req) + icount(o.skills_opt) AS tot,
              icount(o.certs_req) AS nreq, icount(o.certs_req & c.certs) AS hreq,
              icount(o.certs_opt) AS nopt, icount(o.certs_opt & c.certs) AS hopt,
              round(least(
                CASE WHEN c.licence AND ((c.modes & 1 <> 0 AND c.vehicle) OR o.vehicle)
                     THEN km * 1.30 / 50 * 60 END,
                CASE WHEN c.modes & 2 <> 0 THEN km * 1.40 / 18 * 60 + 8 END,
                CASE WHEN c.modes & 4 <> 0 THEN km * 1.25 / 15 * 60 END,
                CASE WHEN c.modes & 8 <> 0 THEN km * 1.20 / 4.5 * 60 END)) AS mins,
              CASE WHEN o.week_n = 0 OR NOT c.has_avail THEN 1.0
                   ELSE bit_count(o.week & c.week)::float8 / o.week_n END AS sc,
              CASE WHEN o.hours > 0 AND c.hours_max > 0
                   THEN greatest(0.0, 1.0 - (CASE WHEN o.hours < c.hours_min THEN c.hours_min - o.hours
                                                  WHEN o.hours > c.hours_max THEN o.hours - c.hours_max
                                                  ELSE 0 END) / 10.0)
                   ELSE 1.0 END AS hfit) t) e
$$;

-- Candidate -> offers: open offers of a wanted ROME within the candidate's reach.
CREATE OR REPLACE FUNCTION peer_match_candidate(p_id text, p_limit int)
RETURNS jsonb LANGUAGE sql STABLE AS $$
SELECT coalesce(jsonb_agg(jsonb_build_object(
         'offer', jsonb_build_object('id', r.id, 'title', r.title), 'score', r.score,
         'eligible', r.eligible, 'distance_km', round(r.km::numeric, 1))
         ORDER BY r.eligible DESC, r.score DESC, r.id), '[]'::jsonb)
FROM (SELECT o.id, o.title, s.eligible, s.score, d.km
      FROM candidates c
      JOIN offers o ON o.status = 'open'
           AND ST_DWithin(o.geog, c.geog, c.reach_km * 1000, false)
           AND (cardinality(c.desired_rome) = 0 OR o.rome = ANY (c.desired_rome))
      CROSS JOIN LATERAL (SELECT ST_Distance(o.geog, c.geog, false) / 1000 AS km) d
      CROSS JOIN LATERAL peer_pair(o, c, d.km) s
      WHERE c.id = p_id
      ORDER BY s.eligible DESC, s.score DESC, o.id
      LIMIT p_limit) r
$$;

-- Offer -> candidates: active candidates wanting this ROME (or none named) whose own reach
-- covers the offer; 120 km is the engine's largest reach (reach_max_km).
CREATE OR REPLACE FUNCTION peer_match_offer(p_id text, p_limit int)
RETURNS jsonb LANGUAGE sql STABLE AS $$
SELECT coalesce(jsonb_agg(jsonb_build_object(
         'candidate', jsonb_build_object('id', r.id), 'score', r.score,
         'eligible', r.eligible, 'distance_km', round(r.km::numeric, 1))
         ORDER BY r.eligible DESC, r.score DESC, r.id), '[]'::jsonb)
FROM (SELECT c.id, s.eligible, s.score, d.km
      FROM offers o
      JOIN candidates c ON c.status = 'active'
           AND ST_DWithin(c.geog, o.geog, 120000, false)
           AND (c.desired_rome @> ARRAY[o.rome] OR c.desired_rome = '{}')
      CROSS JOIN LATERAL (SELECT ST_Distance(o.geog, c.geog, false) / 1000 AS km) d
      CROSS JOIN LATERAL peer_pair(o, c, d.km) s
      WHERE o.id = p_id AND d.km <= c.reach_km
      ORDER BY s.eligible DESC, s.score DESC, c.id
      LIMIT p_limit) r
$$;

-- Search: dynamic SQL so each call gets a plan for its own filters (as carematch builds a
-- query per request); total, top 20 by rank then distance, and four facets over the match set.
CREATE OR REPLACE FUNCTION peer_search(p_i int)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  p p_search;
  pt text;
  w text;
  rank text := '0';
  res jsonb;
BEGIN
  SELECT * INTO STRICT p FROM p_search WHERE i = p_i;
  pt := format('ST_MakePoint(%s, %s)::geography', p.lon, p.lat);
  w := format('o.status = %L AND ST_DWithin(o.geog, %s, %s, false)', 'open', pt, p.radius_km * 1000);
  IF p.q <> '' THEN
    w := w || format(' AND o.tsv @@ plainto_tsquery(%L, %L)', 'french', p.q);
    rank := format('ts_rank(o.tsv, plainto_tsquery(%L, %L))', 'french', p.q);
  END IF;
  IF p.rome <> '' THEN w := w || format(' AND o.rome = %L', p.rome); END IF;
  IF p.contract <> '' THEN w := w || format(' AND o.contract = %L', p.contract); END IF;
  EXECUTE format($q$
    WITH m AS MATERIALIZED (
      SELECT o.id, o.doc, o.rome, o.contract, o.employer_kind, o.dept,
             ST_Distance(o.geog, %s, false) / 1000 AS km, %s AS rank
      FROM offers o WHERE %s)
    SELECT jsonb_build_object(
      'total', (SELECT count(*) FROM m),
      'results', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'offer', t.doc, 'distance_km', round(t.km::numeric, 1), 'score', t.rank)
                    ORDER BY t.rank DESC, t.km, t.id), '[]'::jsonb)
                  FROM (SELECT * FROM m ORDER BY rank DESC, km, id LIMIT 20) t),
      'facets', jsonb_build_object(
        'rome', (SELECT jsonb_object_agg(k, n) FROM (SELECT rome k, count(*) n FROM m GROUP BY 1) x),
        'contract', (SELECT jsonb_object_agg(k, n) FROM (SELECT contract k, count(*) n FROM m GROUP BY 1) x),
        'employer_kind', (SELECT jsonb_object_agg(k, n) FROM (SELECT employer_kind k, count(*) n FROM m GROUP BY 1) x),
        'department', (SELECT jsonb_object_agg(k, n) FROM (SELECT dept k, count(*) n FROM m GROUP BY 1) x)))
  $q$, pt, rank, w) INTO res;
  RETURN res;
END
$$;
