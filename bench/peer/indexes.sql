-- Peer indexes (built after COPY, as one would for a bulk load): GIN for full text and arrays,
-- GiST for geography, partial on the searchable status.
CREATE INDEX offers_tsv ON offers USING gin (tsv) WHERE status = 'open';
CREATE INDEX offers_geog ON offers USING gist (geog) WHERE status = 'open';
CREATE INDEX offers_rome ON offers (rome) WHERE status = 'open';
CREATE INDEX candidates_geog ON candidates USING gist (geog) WHERE status = 'active';
CREATE INDEX candidates_rome ON candidates USING gin (desired_rome) WHERE status = 'active';
\ir functions.sql
ANALYZE offers;
ANALYZE candidates;
