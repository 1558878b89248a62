#!/usr/bin/env python3
"""Generates server/openapi.c (the OpenAPI document served at /openapi.json) from the tables
below. Run after changing a route: python3 server/openapi_gen.py"""
import os
import json
def ref(n): return {"$ref": "#/components/schemas/" + n}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def ok(desc, schema, status="200"): return {status: {"description": desc, "content": {"application/json": {"schema": schema}}}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"}}
COMMON = {"401": err("missing or unknown API key"), "403": err("scope too low"), "429": err("rate limited (Retry-After)"), "503": err("busy or storage full (Retry-After)"), "500": err("internal error")}
def errs(*codes):
    d = {c: COMMON[c] for c in ("401", "403", "429", "500", "503")}
    for c in codes:
        d[c] = err({"400": "bad parameter or invalid JSON", "404": "not found", "409": "version conflict (If-Match / If-None-Match)", "413": "body too large", "415": "wrong Content-Type", "422": "invalid or missing field"}[c])
    return d
def op(summary, scope, responses, params=None, body=None, tag="records"):
    o = {"summary": summary, "tags": [tag], "responses": responses, "description": "Scope: %s." % scope}
    if scope == "none": o["security"] = []
    if params: o["parameters"] = params
    if body: o["requestBody"] = body
    return o
def q(name, schema, desc, many=False):
    p = {"name": name, "in": "query", "schema": ({"type": "array", "items": schema} if many else schema), "description": desc}
    if many: p["explode"] = True
    return p
jbody = lambda s: {"required": True, "content": {"application/json": {"schema": s}}}
ndbody = {"required": True, "content": {"application/x-ndjson": {"schema": {"type": "string", "description": "one JSON record per line"}}}}
geo = {"type": "object", "properties": {"lat": {"type": "number", "minimum": -90, "maximum": 90}, "lon": {"type": "number", "minimum": -180, "maximum": 180}, "city": {"type": "string"}, "postcode": {"type": "string", "pattern": "^[0-9]{5}$"}}}
# A record's location: lat and lon, or instead an INSEE commune code or a postcode (with city for a
# postcode shared by several communes): then it is placed at the commune's reference point and the
# echo says so (docs/API.md).
place_by = ["commune", "postcode", "postcode_and_city", "postcode_default"]
rgeo = {"type": "object", "description": "lat and lon, or commune, or postcode (city chooses among the communes of a shared postcode); a placed position is the commune's reference point", "properties": {**geo["properties"],
    "commune": {"type": "string", "pattern": "^[0-9][0-9ABab][0-9]{3}$", "description": "INSEE commune code (75111, 2A004); echoed for every placed record"},
    "precision": {"type": "string", "enum": ["commune"], "readOnly": True, "description": "present when the position is a commune's reference point"},
    "placed_by": {"type": "string", "enum": place_by, "description": "how the commune was chosen; accepted back with commune (re-import of an export)"}}}
title_in = {"description": "a ROME job title (appellation): its OGR code (number or digits), its label or either gender form, a sector acronym (AES, ASH...), or the echoed object; echoed as {ogr, label, rome}",
    "oneOf": [{"type": "integer"}, {"type": "string"}, {"type": "object", "properties": {"ogr": {"type": "integer"}, "label": {"type": "string", "readOnly": True}, "rome": {"type": "string", "readOnly": True}}}]}
rome_version = {"type": "string", "enum": ["4.0", "v3"], "default": "4.0", "writeOnly": True, "description": "v3: the record's ROME codes are legacy v3 codes, translated to 4.0 through their job titles (the echo shows 4.0 codes)"}
rome4 = {"type": "string", "pattern": "^[A-Z][0-9]{4}$", "description": "ROME 4.0 code (checked against the referential)"}
window = {"type": "object", "properties": {"days": {"type": "array", "items": {"type": "string", "enum": ["mon","tue","wed","thu","fri","sat","sun"]}}, "from": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}, "to": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}}}
contracts = ["CDI","CDD","interim","apprentissage","professionnalisation","liberal","saisonnier"]
kinds = ["ehpad","saad","ssiad","esat","ime","mas","fam","foyer","hopital","creche","other"]
levers = ["mobility_aid","driving_licence_funding","childcare_aid","pre_hire_training","immersion","workplace_adaptation"]
schemas = {
 "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string", "enum": ["invalid_json","invalid_field","missing_field","not_found","unauthorized","forbidden","payload_too_large","unsupported_media_type","method_not_allowed","conflict","rate_limited","unavailable","internal"]}, "message": {"type": "string"}, "field": {"type": "string"}}}}},
 "Offer": {"type": "object", "required": ["title", "location", "contract"], "description": "rome or job_title is required (both: they must agree)", "properties": {
   "id": {"type": "string"}, "version": {"type": "integer", "readOnly": True}, "title": {"type": "string", "maxLength": 200}, "description": {"type": "string"},
   "rome": rome4, "rome_version": rome_version, "job_title": title_in, "employer": {"type": "object", "properties": {"name": {"type": "string"}, "kind": {"type": "string", "enum": kinds}}},
   "location": rgeo, "contract": {"type": "string", "enum": contracts}, "hours_per_week": {"type": "number"}, "schedule": {"type": "array", "items": window},
   "skills": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}, "required": {"type": "boolean"}}}},
   "certifications": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "required": {"type": "boolean"}, "group": {"type": "integer", "minimum": 1, "maximum": 32, "description": "certifications sharing a group are alternatives: any one satisfies it"}}}},
   "work_pattern": {"type": "array", "items": {"type": "string", "enum": ["day","night","weekend","split","shifts"]}, "description": "what the offer says of its hours (with or without schedule windows)"},
   "contract_duration_days": {"type": "integer", "minimum": 1, "maximum": 3660, "description": "length of a fixed-term contract"},
   "experience": {"type": "object", "required": ["level"], "properties": {"level": {"type": "string", "enum": ["beginner_ok","wanted","required"]}, "months": {"type": "integer", "minimum": 0, "maximum": 720}}},
   "vehicle_required": {"type": "boolean", "description": "the worker brings her own vehicle"},
   "physical_demands": {"type": "array", "items": {"type": "string", "enum": ["lifting","standing","hearing"]}},
   "driving_licence_required": {"type": "boolean"}, "vehicle_provided": {"type": "boolean"}, "accessible_to_disabled_workers": {"type": "boolean"},
   "immersion_possible": {"type": "boolean"}, "pre_hire_training": {"type": "boolean"},
   "salary": {"type": "object", "properties": {"min": {"type": "number"}, "max": {"type": "number"}, "period": {"type": "string", "enum": ["hour","month","year"]}}},
   "published_at": {"type": "string", "format": "date"}, "status": {"type": "string", "enum": ["open","filled","closed"]}}},
 "Candidate": {"type": "object", "required": ["location"], "properties": {
   "id": {"type": "string"}, "version": {"type": "integer", "readOnly": True}, "location": rgeo,
   "desired_rome": {"type": "array", "items": rome4, "description": "ROME 4.0 codes; with rome_version v3 each becomes the 4.0 codes its job titles went to; the codes of desired_job_titles join them"},
   "rome_version": rome_version, "desired_job_titles": {"type": "array", "maxItems": 16, "items": title_in}, "skills": {"type": "array", "items": {"type": "string"}}, "certifications": {"type": "array", "items": {"type": "string"}},
   "experience_months": {"type": "integer"}, "mobility": {"type": "object", "properties": {"modes": {"type": "array", "items": {"type": "string", "enum": ["car","transit","bike","walk","moped"]}}, "max_minutes": {"type": "integer"}, "driving_licence": {"type": "boolean"}, "vehicle": {"type": "boolean"}}},
   "availability": {"type": "array", "items": window}, "childcare": {"type": "object", "description": "sensitive: adviser and admin only", "properties": {"children_under_12": {"type": "integer"}, "solo_parent": {"type": "boolean"}}},
   "contracts": {"type": "array", "items": {"type": "string", "enum": contracts}}, "hours_per_week": {"type": "object", "properties": {"min": {"type": "number"}, "max": {"type": "number"}}},
   "disability_recognised": {"type": "boolean", "description": "sensitive: adviser and admin only"}, "open_to_immersion": {"type": "boolean"}, "open_to_training": {"type": "boolean"},
   "summary": {"type": "string"}, "status": {"type": "string", "enum": ["active","inactive","hired"]},
   "restrictions": {"type": "array", "items": {"type": "string", "enum": ["lifting","standing","hearing","night"]}, "description": "work restrictions; sensitive: adviser and admin only"},
   "strict": {"type": "array", "items": {"type": "string", "enum": ["hours","contracts"]}, "description": "a mismatch on these is a hard barrier, not a lower score"}}},
 "BulkResult": {"type": "object", "properties": {"accepted": {"type": "integer"}, "rejected": {"type": "integer"}, "errors": {"type": "array", "items": {"type": "object", "properties": {"line": {"type": "integer"}, "error": ref("Error")["$ref"] and {"$ref": "#/components/schemas/ErrorObject"}}}}, "errors_truncated": {"type": "boolean"}}},
 "ErrorObject": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}},
 "SearchResult": {"type": "object", "properties": {"total": {"type": "integer", "description": "matching open offers: exact for a radius search (and its facets too); otherwise exact up to 10,000, estimated beyond"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
   "results": {"type": "array", "items": {"type": "object", "properties": {"offer": ref("Offer"), "distance_km": {"type": "number", "nullable": True, "description": "from the centre (lat and lon, commune or postcode); null without one"}, "score": {"type": "number", "minimum": 0, "maximum": 100, "description": "100 x the relevance over the best match's of the whole search (the first by relevance is 100); 0 without q"},
     "snippet": {"type": "object", "description": "with words in q: the passage of the description (or title) holding them", "properties": {"field": {"type": "string", "enum": ["description", "title"]}, "text": {"type": "string"}, "html": {"type": "string", "description": "text HTML-escaped, searched words in <mark>"}, "marks": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}, "description": "[start, end) in code points of text"}}}}}},
   "text_match": {"type": "string", "enum": ["all", "all_but_one", "any", "operators"], "description": "with words in q: how much of q the results hold (all words; else all but one; else any)"},
   "corrected": {"type": "array", "items": {"type": "string"}, "description": "words of q found in no offer, searched as the closest indexed word"},
   "read_as_filters": {"type": "object", "description": "facts q denied in words (\"sans permis\", \"pas de nuit\", \"hors week-end\"): filtered out as the parameters of the same names set false would, those words not searched", "properties": {"night": {"type": "boolean", "enum": [False]}, "weekend": {"type": "boolean", "enum": [False]}, "driving_licence": {"type": "boolean", "enum": [False]}, "own_vehicle": {"type": "boolean", "enum": [False]}}},
   "center": {"type": "object", "description": "only when the centre was given as commune or postcode: where it was placed", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}, "commune": {"type": "string"}, "precision": {"type": "string", "enum": ["commune"]}, "placed_by": {"type": "string", "enum": place_by}}},
   "facets": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}}}},
 "CandidateSearchResult": {"type": "object", "properties": {"total": {"type": "integer", "description": "active candidates meeting the filters (exact)"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
   "results": {"type": "array", "items": {"type": "object", "properties": {"candidate": ref("Candidate"), "distance_km": {"type": "number", "description": "only with a centre (lat and lon, commune or postcode)"}}}},
   "center": {"type": "object", "description": "only when the centre was given as commune or postcode: where it was placed", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}, "commune": {"type": "string"}, "precision": {"type": "string", "enum": ["commune"]}, "placed_by": {"type": "string", "enum": place_by}}}}},
 "Match": {"type": "object", "properties": {
   "offer": {"type": "object", "description": "brief offer (offers for a candidate)", "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "employer": {"type": "object"}, "location": geo, "contract": {"type": "string"}}},
   "candidate": {"type": "object", "description": "brief candidate (candidates for an offer)", "properties": {"id": {"type": "string"}, "location": {"type": "object", "properties": {"postcode": {"type": "string"}, "city": {"type": "string"}}}, "desired_rome": {"type": "array", "items": {"type": "string"}}, "certifications": {"type": "array", "items": {"type": "string"}}, "experience_months": {"type": "integer"}}},
   "score": {"type": "number", "minimum": 0, "maximum": 100},
   "explain": {"type": "object", "properties": {k: {"type": "number", "minimum": 0, "maximum": 1} for k in ["skills","certifications","commute","schedule","contract","experience","text"]}},
   "commute": {"type": "object", "properties": {"mode": {"type": "string", "nullable": True, "enum": ["car","transit","bike","walk","moped"]}, "minutes": {"type": "number"}, "distance_km": {"type": "number"}}},
   "barriers": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["certification","commute","driving_licence","schedule","childcare","disability","vehicle","hours","contract","experience","apprenticeship","skills"]}, "detail": {"type": "string"}, "levers": {"type": "array", "items": {"type": "string", "enum": levers}},
     "code": {"type": "string", "description": "stable code of the barrier (docs/API.md)", "enum": ["certification_missing","certification_regulated","commute_too_long","commute_no_mode","licence_missing","vehicle_missing","schedule_low_coverage","schedule_day_off","schedule_ends_late","schedule_work_pattern","childcare_atypical_hours","disability_adaptation_possible","disability_restriction","disability_no_night","hours_below_minimum","hours_above_maximum","contract_not_wanted","experience_required","apprenticeship_route","already_qualified","schedule_starts_early","commute_long","skills_to_learn","disability_restriction_likely", "commute_off_hours", "commute_transit_unsure", "job_abroad"]},
     "hard": {"type": "boolean", "description": "true: makes the result a near-miss; false: advisory"},
     "detail_fr": {"type": "string", "description": "the detail in French, to show as is"},
     "minutes": {"type": "integer"}, "starts_at": {"type": "string", "description": "commute_off_hours: the shift's start, HH:MM"}, "ends_at": {"type": "string", "description": "commute_off_hours: the shift's end, HH:MM"}, "country": {"type": "string", "description": "job_abroad: the country, in French (\"Suisse\", \"Luxembourg\"; \"étranger\" when unknown)"}, "journey_minutes": {"type": "integer", "description": "schedule_starts_early / _ends_late: the part of minutes her journey makes; commute_off_hours: her journey, one way"}, "limit": {"type": "integer"}, "months": {"type": "integer"}, "coverage": {"type": "integer"}, "hours": {"type": "number"}, "contract_days": {"type": "integer"}, "trips_per_day": {"type": "integer", "description": "commute_long: 2 for split shifts"}, "skills_missing": {"type": "integer", "description": "skills_to_learn: required skills not held"},
     "days": {"type": "array", "items": {"type": "string", "enum": ["mon","tue","wed","thu","fri","sat","sun"]}},
     "missing": {"type": "array", "items": {"type": "string"}, "description": "missing diploma codes; A/B: any one of a group"},
     "restrictions": {"type": "array", "items": {"type": "string", "enum": ["lifting","standing","hearing"]}}}}},
   "eligible": {"type": "boolean"},
   "neighbour": {"type": "object", "description": "only for a pair met through a neighbouring ROME code (neighbours=true)", "properties": {"code": {"type": "string", "description": "the offer's code"}, "of": {"type": "string", "description": "the candidate's wanted code it neighbours"}, "kind": {"type": "string", "enum": ["mobility", "sibling", "reverse"]}, "rank": {"type": "integer", "minimum": 1, "description": "1 = nearest"}}}}},
 "MatchResult": {"type": "object", "properties": {"results": {"type": "array", "items": ref("Match")}, "count": {"type": "integer"}, "considered": {"type": "integer"}}},
 "JobSuggestions": {"type": "object", "properties": {"suggestions": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string"}, "ogr": {"type": "integer"}, "rome": {"type": "string"}, "rome_label": {"type": "string"}, "match": {"type": "string", "enum": ["acronym", "exact", "prefix"]}}}}}},
 "CommuneSuggestions": {"type": "object", "properties": {"suggestions": {"type": "array", "items": {"type": "object", "properties": {"commune": {"type": "string", "description": "INSEE code"}, "name": {"type": "string"}, "postcode": {"type": "string"}, "department": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"}}}}}},
 "Event": {"type": "object", "required": ["candidate_id", "kind"], "properties": {"seq": {"type": "integer", "readOnly": True}, "candidate_id": {"type": "string"}, "offer_id": {"type": "string"}, "kind": {"type": "string", "enum": ["proposed","immersion","training","hired","rejected","withdrawn"]}, "at": {"type": "string", "description": "ISO 8601 date or date-time; default now"}}},
 "Stats": {"type": "object", "properties": {"department": {"type": "string", "nullable": True}, "candidates_total": {"type": "integer"}, "candidates_active": {"type": "integer"}, "offers_total": {"type": "integer"}, "offers_open": {"type": "integer"}, "events_by_kind": {"type": "object", "additionalProperties": {"type": "integer"}}, "candidates_with_events": {"type": "integer"}, "candidates_reached": {"type": "integer"}, "share_reached": {"type": "number"}}},
}
cond = [{"name": "If-Match", "in": "header", "schema": {"type": "string"}, "description": "\"<version>\": replace only that version (409 otherwise)"},
        {"name": "If-None-Match", "in": "header", "schema": {"type": "string", "enum": ["*"]}, "description": "create only (409 if it exists)"}]
ack = q("ack", {"type": "string", "enum": ["visible", "durable"], "default": "visible"}, "visible: answered once searches see the write (read-your-writes); durable: once stored, GET and matching see it at once, text search a moment later (X-Index-Lagging: true until then; slowed when the index is more than durable_ack_max_lag changes behind). Offers only: a candidate's write is always answered once stored")
mparams = [q("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}, "results"), q("min_score", {"type": "number", "minimum": 0, "maximum": 100}, "minimum score"), q("include_near_misses", {"type": "boolean", "default": True}, "near-misses after eligible results"), q("neighbours", {"type": "boolean", "default": False}, "also records of neighbouring ROME 4.0 codes (mobility links, codes cut from the same v3 fiche), ranked below same-code ones of equal fit, with a neighbour block")]
def rec(kind, schema, get_scope):
    return {
     "put": op("Create or replace a %s" % kind, "admin", {**ok("replaced", ref(schema)), **ok("created", ref(schema), "201"), **errs("400", "409", "413", "415", "422")}, [ID, ack] + cond, jbody(ref(schema))),
     "get": op("Read a %s" % kind, get_scope, {**ok("the stored record", ref(schema)), **errs("404")}, [ID]),
     "delete": op("Delete a %s" % kind + (" (right to erasure: its events too)" if kind == "candidate" else ""), "admin", {"204": {"description": "deleted"}, **errs("400", "404", "409")}, [ID, {"name": "If-Match", "in": "header", "schema": {"type": "string"}, "description": "\"<version>\": delete only that version (409 otherwise)"}])}
paths = {
 "/v1/offers/{id}": rec("offer", "Offer", "portal"),
 "/v1/candidates/{id}": rec("candidate", "Candidate", "adviser"),
 "/v1/offers/_bulk": {"post": op("Bulk import offers (NDJSON)", "admin", {**ok("per-line results", ref("BulkResult")), **errs("400", "413", "415")}, [ack], ndbody)},
 "/v1/candidates/_bulk": {"post": op("Bulk import candidates (NDJSON)", "admin", {**ok("per-line results", ref("BulkResult")), **errs("400", "413", "415")}, [ack], ndbody)},
 "/v1/offers/search": {"get": op("Search open offers", "portal", {**ok("a page of results", ref("SearchResult")), **errs("400")}, [
    q("q", {"type": "string", "maxLength": 1024}, "French free text: every word must match (accents, gender, typos and sector acronyms forgiven)"), q("operators", {"type": "boolean", "default": False}, "read AND OR NOT, +/-word and \"phrases\" in q"), q("lat", {"type": "number"}, "with lon"), q("lon", {"type": "number"}, "with lat"),
    q("commune", {"type": "string"}, "centre: INSEE commune code, instead of lat and lon"), q("postcode", {"type": "string"}, "centre: postcode, instead of lat and lon"), q("city", {"type": "string"}, "with postcode: chooses among the communes sharing it"),
    q("radius_km", {"type": "number"}, "needs a centre (lat and lon, commune or postcode)"), q("rome", {"type": "string"}, "ROME 4.0 code (400 if unknown)", True), q("contract", {"type": "string", "enum": contracts}, "contract", True),
    q("employer_kind", {"type": "string", "enum": kinds}, "employer kind", True), q("immersion_possible", {"type": "boolean"}, "filter"), q("pre_hire_training", {"type": "boolean"}, "filter"),
    q("accessible_to_disabled_workers", {"type": "boolean"}, "filter"), q("sort", {"type": "string", "enum": ["relevance","distance","date"]}, "order"),
    q("night", {"type": "boolean"}, "true: offers with night work; false: without (its pattern, or 3 hours of its windows between 21:00 and 06:00)"),
    q("weekend", {"type": "boolean"}, "true: offers with weekend work; false: without (its pattern, or a shift starting on Saturday or Sunday)"),
    q("driving_licence", {"type": "boolean"}, "true: offers that need a driving licence; false: those that do not (licence asked, her own vehicle asked, or one provided to drive)"),
    q("own_vehicle", {"type": "boolean"}, "true: offers that ask for her own vehicle; false: those that do not"),
    q("page", {"type": "integer", "minimum": 1, "default": 1}, "from 1"), q("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "page size"),
    q("facets", {"type": "string"}, "comma list of rome,contract,employer_kind,department")], tag="search")},
 "/v1/candidates/search": {"get": op("Search active candidates (advisers): codes, job titles, certifications, place, availability, openness, mobility; every candidate listed is audited", "adviser", {**ok("a page of candidates, as GET /v1/candidates/{id} shows them to this key", ref("CandidateSearchResult")), **errs("400")}, [
    q("rome", rome4, "ROME 4.0 code the candidate wants (desired_rome); any of them", True),
    q("job_title", {"type": "string"}, "job title (OGR code like 10891, or its label): the candidate named it, or wants its ROME code without naming a title of that code; any of them", True),
    q("certification", {"type": "string"}, "certification held (DEAES, DEAS; case, spaces and old names folded as matching does: DE AES, DEAVS); any of them", True),
    q("department", {"type": "string"}, "code like 93, 2A, 971 (of the candidate's postcode)"),
    q("lat", {"type": "number"}, "with lon"), q("lon", {"type": "number"}, "with lat"),
    q("commune", {"type": "string"}, "centre: INSEE commune code, instead of lat and lon"), q("postcode", {"type": "string"}, "centre: postcode, instead of lat and lon"), q("city", {"type": "string"}, "with postcode: chooses among the communes sharing it"),
    q("radius_km", {"type": "number"}, "needs a centre; results are ordered by distance whenever there is a centre"),
    q("available", {"type": "string"}, "night | weekend | DAYS | DAYS HH:MM-HH:MM (DAYS: mon, mon-fri, sat,sun); each must be met; a candidate without availability is available at any time", True),
    q("open_to_immersion", {"type": "boolean"}, "filter"), q("open_to_training", {"type": "boolean"}, "filter"),
    q("driving_licence", {"type": "boolean"}, "filter"), q("vehicle", {"type": "boolean"}, "filter"),
    q("mode", {"type": "string", "enum": ["car","transit","bike","walk","moped"]}, "transport mode the candidate lists; any of them", True),
    q("page", {"type": "integer", "minimum": 1, "default": 1}, "from 1"), q("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "page size")], tag="search")},
 "/v1/candidates/{id}/matches": {"get": op("Offers ranked for a stored candidate", "adviser", {**ok("ranked offers", ref("MatchResult")), **errs("400", "404")}, [ID] + mparams, tag="matching")},
 "/v1/offers/{id}/matches": {"get": op("Candidates ranked for an offer", "adviser", {**ok("ranked candidates", ref("MatchResult")), **errs("400", "404")}, [ID] + mparams, tag="matching")},
 "/v1/match": {"post": op("Offers ranked for a profile sent in the body (not stored)", "portal", {**ok("ranked offers", ref("MatchResult")), **errs("400", "413", "415", "422")}, mparams, jbody(ref("Candidate")), tag="matching")},
 "/v1/events": {"post": op("Record a step of a candidate's path", "adviser", {**ok("the event with its sequence number", ref("Event"), "201"), **errs("400", "404", "413", "415", "422")}, None, jbody(ref("Event")), tag="steering")},
 "/v1/stats": {"get": op("Counts for steering", "adviser", {**ok("counts", ref("Stats")), **errs("400")}, [q("department", {"type": "string"}, "code like 75, 2A, 974")], tag="steering")},
 "/v1/audit": {"get": op("Audit log: who (key name) read which candidate, when; append-only", "admin", {**ok("entries", {"type": "object", "properties": {"entries": {"type": "array", "items": {"type": "object", "properties": {"seq": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "key_name": {"type": "string"}, "candidate_id": {"type": "string"}, "action": {"type": "string", "enum": ["read", "matches", "listed_in_matches", "listed_in_search", "erased"]}}}}}}), **errs("400")}, [q("candidate_id", {"type": "string"}, "only this candidate's entries"), q("after", {"type": "integer", "minimum": 0}, "entries after this seq (paging)"), q("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "entries per page")], tag="operations")},
 "/v1/suggest/jobs": {"get": op("Job titles for a typed text (prefix, case, accent and gender insensitive; sector acronyms)", "portal", {**ok("suggestions, best first", ref("JobSuggestions")), **errs("400")}, [q("q", {"type": "string"}, "required: the text typed"), q("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}, "suggestions")], tag="referentials")},
 "/v1/suggest/communes": {"get": op("Communes for a name prefix or a postcode prefix", "portal", {**ok("suggestions, best first", ref("CommuneSuggestions")), **errs("400")}, [q("q", {"type": "string"}, "required: name prefix (saint-den) or postcode prefix (9320)"), q("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}, "suggestions")], tag="referentials")},
 "/healthz": {"get": op("Liveness", "none", {"200": {"description": "alive", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}}, tag="operations")},
 "/readyz": {"get": op("Readiness: storage and index open and caught up", "none", {"200": {"description": "ready"}, "503": err("not ready")}, tag="operations")},
 "/metrics": {"get": op("Prometheus metrics", "admin", {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}, **errs()}, tag="operations")},
 "/openapi.json": {"get": op("This document", "none", {"200": {"description": "OpenAPI 3.0 JSON"}}, tag="operations")},
}

# operationId for every operation (generated clients name their methods after them): camelCase,
# unique; a route added above without one stops this script.
OPIDS = {
 ("/v1/offers/{id}", "put"): "putOffer", ("/v1/offers/{id}", "get"): "getOffer", ("/v1/offers/{id}", "delete"): "deleteOffer",
 ("/v1/candidates/{id}", "put"): "putCandidate", ("/v1/candidates/{id}", "get"): "getCandidate", ("/v1/candidates/{id}", "delete"): "deleteCandidate",
 ("/v1/offers/_bulk", "post"): "bulkOffers", ("/v1/candidates/_bulk", "post"): "bulkCandidates",
 ("/v1/offers/search", "get"): "searchOffers", ("/v1/candidates/search", "get"): "searchCandidates",
 ("/v1/candidates/{id}/matches", "get"): "matchCandidate", ("/v1/offers/{id}/matches", "get"): "matchOffer", ("/v1/match", "post"): "matchProfile",
 ("/v1/events", "post"): "createEvent", ("/v1/stats", "get"): "getStats", ("/v1/audit", "get"): "listAudit",
 ("/v1/suggest/jobs", "get"): "suggestJobs", ("/v1/suggest/communes", "get"): "suggestCommunes",
 ("/healthz", "get"): "getHealth", ("/readyz", "get"): "getReadiness", ("/metrics", "get"): "getMetrics", ("/openapi.json", "get"): "getOpenApi",
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
for path, item in paths.items():
    for method, o in item.items():
        if method in METHODS:
            assert (path, method) in OPIDS, "no operationId for %s %s: add it to OPIDS" % (method.upper(), path)
            o["operationId"] = OPIDS[(path, method)]
ids = [o["operationId"] for item in paths.values() for m, o in item.items() if m in METHODS]
assert len(ids) == len(set(ids)), "operationIds must be unique"

# required members of the answers (what a client may rely on being there)
schemas["ErrorObject"]["required"] = ["code", "message"]
schemas["BulkResult"]["required"] = ["accepted", "rejected", "errors"]
schemas["BulkResult"]["properties"]["errors"]["items"]["required"] = ["line", "error"]
schemas["SearchResult"]["required"] = ["total", "page", "per_page", "results"]
schemas["SearchResult"]["properties"]["results"]["items"]["required"] = ["offer", "score"]
schemas["CandidateSearchResult"]["required"] = ["total", "page", "per_page", "results"]
schemas["CandidateSearchResult"]["properties"]["results"]["items"]["required"] = ["candidate"]
schemas["Match"]["required"] = ["score", "explain", "commute", "barriers", "eligible"]
schemas["Match"]["properties"]["barriers"]["items"]["required"] = ["kind", "detail", "levers"]
schemas["Match"]["properties"]["offer"]["required"] = ["id", "title"]
schemas["Match"]["properties"]["candidate"]["required"] = ["id"]
schemas["MatchResult"]["required"] = ["results", "count"]
schemas["JobSuggestions"]["required"] = ["suggestions"]
schemas["CommuneSuggestions"]["required"] = ["suggestions"]

# examples: the contract's records and answers (shared/contract/API.md)
ex_offer = {"title": "Aide-soignant(e) de nuit H/F", "description": "EHPAD de 80 lits recherche ...", "rome": "J1501",
            "employer": {"name": "EHPAD Les Tilleuls", "kind": "ehpad"}, "location": {"lat": 48.8589, "lon": 2.38, "city": "Paris", "postcode": "75011"},
            "contract": "CDI", "hours_per_week": 35, "schedule": [{"days": ["mon", "tue", "wed"], "from": "21:00", "to": "07:00"}],
            "skills": [{"label": "Soins d'hygiène et de confort", "required": True}], "certifications": [{"code": "DEAS", "required": True}],
            "immersion_possible": True, "published_at": "2026-11-02", "status": "open"}
ex_cand = {"location": {"lat": 48.8156, "lon": 2.3631, "postcode": "94200"}, "desired_rome": ["J1501", "K1302"],
           "skills": ["Soins d'hygiène et de confort"], "certifications": ["DEAES"], "experience_months": 18,
           "mobility": {"modes": ["transit", "walk"], "max_minutes": 45, "driving_licence": False, "vehicle": False},
           "availability": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:30", "to": "16:30"}],
           "childcare": {"children_under_12": 2, "solo_parent": True}, "contracts": ["CDI", "CDD"], "status": "active"}
ex_match = {"results": [{"offer": {"id": "off-75011-0042", "title": "Aide-soignant(e) de nuit H/F", "employer": {"name": "EHPAD Les Tilleuls", "kind": "ehpad"},
                                   "location": {"lat": 48.8589, "lon": 2.38, "city": "Paris", "postcode": "75011"}, "contract": "CDI"},
                         "score": 82.5, "explain": {"skills": 0.9, "certifications": 1.0, "commute": 0.7, "schedule": 1.0, "contract": 1.0, "experience": 0.6, "text": 0.4},
                         "commute": {"mode": "transit", "minutes": 32, "distance_km": 6.1},
                         "barriers": [{"kind": "schedule", "detail": "night shifts outside availability 08:30-16:30", "levers": ["childcare_aid"]}], "eligible": False}],
            "count": 1, "considered": 37}
ex_search = {"total": 1, "page": 1, "per_page": 20, "results": [{"offer": dict(ex_offer, id="off-75011-0042", version=3), "distance_km": 1.2, "score": 100}],
             "facets": {"rome": {"J1501": 1}}}
ex_bulk = {"accepted": 998, "rejected": 2, "errors": [{"line": 17, "error": {"code": "invalid_field", "message": "location.lat must be between -90 and 90", "field": "location.lat"}}]}
schemas["Error"]["example"] = {"error": {"code": "invalid_field", "message": "location.lat must be between -90 and 90", "field": "location.lat"}}
def example(path, method, ex, status=None):
    o = paths[path][method]
    media = o["requestBody"]["content"] if status is None else o["responses"][status]["content"]
    next(iter(media.values()))["example"] = ex
example("/v1/offers/{id}", "put", ex_offer)
example("/v1/offers/{id}", "put", dict(ex_offer, id="off-75011-0042", version=1), "201")
example("/v1/offers/{id}", "get", dict(ex_offer, id="off-75011-0042", version=1), "200")
example("/v1/candidates/{id}", "put", ex_cand)
example("/v1/match", "post", ex_cand)
example("/v1/match", "post", ex_match, "200")
example("/v1/candidates/{id}/matches", "get", ex_match, "200")
example("/v1/offers/search", "get", ex_search, "200")
ex_cand_search = {"total": 1, "page": 1, "per_page": 20, "results": [{"candidate": dict(ex_cand, id="cand-000123", version=2, open_to_immersion=True), "distance_km": 3.4}]}
example("/v1/candidates/search", "get", ex_cand_search, "200")
for kind, rec in (("offers", ex_offer), ("candidates", ex_cand)):
    example("/v1/%s/_bulk" % kind, "post", "\n".join(json.dumps(dict(rec, id="%s-%d" % (kind[:4], i)), ensure_ascii=False) for i in (1, 2)) + "\n")
    example("/v1/%s/_bulk" % kind, "post", ex_bulk, "200")
example("/v1/events", "post", {"candidate_id": "cand-000123", "offer_id": "off-75011-0042", "kind": "immersion", "at": "2026-11-20"})

doc = {"openapi": "3.0.3", "info": {"title": "carematch API", "version": "1", "description": "Matching and search for care-sector jobs. Errors: {\"error\":{\"code\",\"message\",\"field\"?}}."},
       "servers": [{"url": "/"}], "security": [{"bearer": []}],
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "API key; scopes portal < adviser < admin"}}, "schemas": schemas},
       "paths": paths}
text = json.dumps(doc, separators=(",", ":"), ensure_ascii=True)
out = ["/* The OpenAPI 3.0 description of what carematchd serves (GET /openapi.json), kept as one",
       " * static string so that serving it costs nothing. Keep in step with router.c's table. */",
       "", "const char srv_openapi_json[] ="]
for i in range(0, len(text), 90):
    chunk = text[i:i+90].replace("\\", "\\\\").replace('"', '\\"')
    out.append('    "%s"' % chunk)
out[-1] += ";"
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi.c"), "w").write("\n".join(out) + "\n")
print(len(text))
