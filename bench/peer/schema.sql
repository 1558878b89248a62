-- Peer schema: offers and candidates with the scoring columns load.py derives, plus the request
-- parameters (p_*) bench/lib/mkreqs.py drew for carematch, so both answer the same questions.
-- Indexes come after the load (indexes.sql); functions in functions.sql.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS intarray;
DROP TABLE IF EXISTS offers, candidates, p_get_offer, p_search, p_cand_matches, p_offer_matches,
  p_match_anon CASCADE;
CREATE TABLE offers (
  id text PRIMARY KEY, title text, description text, rome text, employer_kind text,
  contract text, dept text, status text, published date, hours real,
  licence bool, vehicle bool, accessible bool, immersion bool, training bool,
  skills_req int[], skills_opt int[], certs_req int[], certs_opt int[],
  week bit(336), week_n int, geog geography(Point, 4326), doc jsonb,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('french', coalesce(description, '')), 'B')) STORED
);
CREATE TABLE candidates (
  id text PRIMARY KEY, desired_rome text[], skills int[], certs int[], experience int,
  modes int, max_minutes int, licence bool, vehicle bool, contracts text[],
  hours_min real, hours_max real, week bit(336), has_avail bool, reach_km real, status text,
  geog geography(Point, 4326), doc jsonb
);
CREATE TABLE p_get_offer (i int PRIMARY KEY, id text);
CREATE TABLE p_search (i int PRIMARY KEY, q text, lat float8, lon float8, radius_km float8,
  rome text, contract text);
CREATE TABLE p_cand_matches (i int PRIMARY KEY, id text);
CREATE TABLE p_offer_matches (i int PRIMARY KEY, id text);
CREATE TABLE p_match_anon (i int PRIMARY KEY, id text);
