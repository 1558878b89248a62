#!/usr/bin/env python3
"""Build the matching evaluation set (deterministic): 30 candidate profiles in 30 towns at
least 100 km apart, 15 offers around each, and a graded judgement (0/1/2) for every
(profile, offer) pair, given by the adviser rules of RULES.md (function judge below).

Writes profiles.ndjson, offers.ndjson and judgements.ndjson next to this file.
Usage: python3 corpora/eval/make_eval.py
"""
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261123)

TOWNS = [
    ("Paris", 48.8566, 2.3522, "75011"), ("Lyon", 45.7640, 4.8357, "69003"),
    ("Marseille", 43.2965, 5.3698, "13005"), ("Toulouse", 43.6047, 1.4442, "31000"),
    ("Lille", 50.6292, 3.0573, "59000"), ("Bordeaux", 44.8378, -0.5792, "33000"),
    ("Nantes", 47.2184, -1.5536, "44000"), ("Strasbourg", 48.5734, 7.7521, "67000"),
    ("Rennes", 48.1173, -1.6778, "35000"), ("Montpellier", 43.6108, 3.8767, "34000"),
    ("Nice", 43.7102, 7.2620, "06000"), ("Dijon", 47.3220, 5.0415, "21000"),
    ("Reims", 49.2583, 4.0317, "51100"), ("Clermont-Ferrand", 45.7772, 3.0870, "63000"),
    ("Limoges", 45.8336, 1.2611, "87000"), ("Tours", 47.3941, 0.6848, "37000"),
    ("Brest", 48.3904, -4.4861, "29200"), ("Caen", 49.1829, -0.3707, "14000"),
    ("Rouen", 49.4432, 1.0999, "76000"), ("Metz", 49.1193, 6.1757, "57000"),
    ("Besancon", 47.2378, 6.0241, "25000"), ("Poitiers", 46.5802, 0.3404, "86000"),
    ("Pau", 43.2951, -0.3708, "64000"), ("Perpignan", 42.6887, 2.8948, "66000"),
    ("Grenoble", 45.1885, 5.7245, "38000"), ("Amiens", 49.8941, 2.2958, "80000"),
    ("Orleans", 47.9030, 1.9093, "45000"), ("Le Mans", 48.0061, 0.1996, "72000"),
    ("La Rochelle", 46.1603, -1.1511, "17000"), ("Avignon", 43.9493, 4.8055, "84000"),
    ("Bourges", 47.0810, 2.3988, "18000"), ("Troyes", 48.2973, 4.0744, "10000"),
    ("Agen", 44.2033, 0.6163, "47000"), ("Aurillac", 44.9264, 2.4397, "15000"),
    ("Mende", 44.5181, 3.5006, "48000"), ("Nevers", 46.9896, 3.1590, "58000"),
    ("Quimper", 47.9960, -4.1024, "29000"), ("Laval", 48.0707, -0.7734, "53000"),
    ("Chaumont", 48.1113, 5.1392, "52000"), ("Gap", 44.5594, 6.0786, "05000"),
]


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def pick_towns(n):
    chosen = []
    for t in TOWNS:
        if all(km((t[1], t[2]), (c[1], c[2])) >= 85 for c in chosen):
            chosen.append(t)
        if len(chosen) == n:
            break
    return chosen


def offset(lat, lon, dist_km, bearing_deg):
    b = math.radians(bearing_deg)
    dlat = dist_km * math.cos(b) / 111.195
    dlon = dist_km * math.sin(b) / (111.195 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


# Commute model the adviser uses to read "how long would it take" (same public constants as
# the engine's documentation: detour, km/h, wait).
MODES = {"car": (1.3, 50, 0), "transit": (1.4, 18, 8), "bike": (1.25, 15, 0), "walk": (1.2, 4.5, 0),
         "moped": (1.25, 35, 1)}
# Transit outside a dense network: the first 4 km of road at the town bus's 18 km/h, beyond at
# the coach's or TER's 45 (an adviser's probe, 2026-12: Auray -> Vannes, 17.5 km, was 1 h 30).
TRANSIT_TOWN_KM, TRANSIT_REGIONAL = 4.0, 45.0


def transit_minutes(road):
    town = min(road, TRANSIT_TOWN_KM)
    return (town / MODES["transit"][1] + (road - town) / TRANSIT_REGIONAL) * 60 + MODES["transit"][2]


def transit_road_for(minutes):
    t = max(0.0, minutes - MODES["transit"][2]) / 60
    th = TRANSIT_TOWN_KM / MODES["transit"][1]
    return t * MODES["transit"][1] if t <= th else TRANSIT_TOWN_KM + (t - th) * TRANSIT_REGIONAL
# The car's speed by distance band (SCORING.md): the first 5 km of road at 30 km/h (town), up to
# 20 km at 50, beyond at 70 (open road).
CAR_BANDS = ((5.0, 30.0), (20.0, 50.0), (float("inf"), 70.0))


def car_minutes(road):
    t, start = 0.0, 0.0
    for end, v in CAR_BANDS:
        seg = max(0.0, min(road, end) - start)
        t += seg / v
        start = end
    return t * 60


def car_road_for(minutes):
    road, start, left = 0.0, 0.0, minutes / 60
    for end, v in CAR_BANDS:
        span = end - start
        if left * v <= span:
            return road + left * v
        road += span
        left -= span / v
        start = end
    return road


def usable_modes(p, offer):
    m = [x for x in p["mobility"]["modes"] if x != "car"]
    lic = p["mobility"]["driving_licence"]
    if lic and "car" in p["mobility"]["modes"] and p["mobility"]["vehicle"]:
        m.append("car")
    return m


# Dense transit networks (SCORING.md): a trip with both ends in one of these discs rides its
# metro and RER, 1.3 detour, 25 km/h, 6 min wait (an adviser's probe, 2026-12).
# Then each city's ring of commuter towns: a trip between the city and its ring may ride
# regional rail (RER, Transilien, TER), 1.25 detour, 45 km/h, 10 min wait (helpers' probes,
# 2026-12: Meaux -> Paris was 197 minutes at the national average; Lille's disc takes in
# Roubaix and Tourcoing, its metro).
# The tram cities and their TER stars came with a second adviser's probe (2026-12: Mérignac ->
# Bordeaux by tram was 50 minutes, Sélestat -> Strasbourg found nothing); Lyon's, Marseille's
# and Lille's rings grew to 45 km (Tarare -> Lyon by TER).
DENSE = [(48.8566, 2.3522, 20.0), (45.7640, 4.8357, 10.0), (43.2965, 5.3698, 10.0),
         (50.6600, 3.1000, 12.0), (43.6047, 1.4442, 8.0), (48.1173, -1.6778, 6.0),
         (44.8378, -0.5792, 8.0), (47.2184, -1.5536, 7.0), (48.5734, 7.7521, 6.0),
         (43.7102, 7.2620, 6.0), (43.6108, 3.8767, 6.0), (45.1885, 5.7245, 6.0),
         (49.4432, 1.0999, 6.0), (43.1242, 5.9280, 6.0), (47.3941, 0.6848, 5.0),
         (45.4397, 4.3872, 5.0)]
RINGS = [60.0, 45.0, 45.0, 45.0, 30.0, 25.0, 40.0, 40.0, 45.0, 35.0, 35.0, 30.0, 30.0, 30.0,
         30.0, 20.0]
TRANSIT_DENSE = (1.3, 25, 6)
TRANSIT_RER = (1.25, 45, 10)
# TER lines (SCORING.md, an adviser's probe 2026-12: Thionville -> Metz timed as a coach, 72
# minutes for a 20-minute ride): the towns of their stations (discs, after the rings), a line
# joining two of them or one and a city's core, its ride; a trip on it takes the ride and
# RAIL_ACCESS minutes (the ways to and from the stations, the wait).
STATIONS = [(49.1097, 6.1771, 6.0), (49.3579, 6.1683, 4.0), (48.6897, 6.1744, 6.0),
            (47.7420, 7.3429, 6.0), (48.0794, 7.3585, 4.5), (43.8367, 4.3601, 5.0),
            (43.9493, 4.8055, 5.0), (49.4944, 0.1079, 6.0), (47.2735, -2.2138, 4.0),
            (47.4712, -0.5518, 5.0), (45.5646, 5.9178, 4.0), (50.2910, 2.7775, 4.0),
            (49.1829, -0.3707, 5.0), (49.2764, -0.7024, 3.0), (49.1439, 0.2265, 3.0),
            (49.2583, 4.0317, 5.0), (49.0406, 3.9591, 3.0), (47.3220, 5.0415, 5.0),
            (47.0260, 4.8400, 3.0), (47.5861, 1.3359, 3.5), (47.9030, 1.9093, 5.0),
            (44.6586, -1.1689, 4.0), (43.2951, -0.3708, 5.0), (43.2328, 0.0781, 4.0)]
ST = 100  # python's own numbering of the stations' areas: ST + index
LINES = [(ST + 0, ST + 1, 20), (ST + 0, ST + 2, 40), (ST + 3, ST + 4, 20), (ST + 4, 9, 30),
         (ST + 3, 9, 55), (2, 16, 45), (3, 14, 50), (ST + 5, 11, 30), (ST + 5, ST + 6, 30),
         (13, ST + 7, 50), (8, ST + 8, 45), (8, ST + 9, 40), (12, ST + 10, 45), (4, ST + 11, 40),
         (ST + 12, ST + 13, 20), (ST + 12, ST + 14, 30), (ST + 15, ST + 16, 25),
         (ST + 17, ST + 18, 25), (15, ST + 19, 40), (ST + 20, ST + 19, 40), (7, ST + 21, 50),
         (ST + 22, ST + 23, 35)]
RAIL_ACCESS = 25


def dense_area(loc):
    for i, (la, lo, r) in enumerate(DENSE):
        if km((loc["lat"], loc["lon"]), (la, lo)) <= r:
            return i + 1
    for i, (la, lo, _) in enumerate(DENSE):
        if km((loc["lat"], loc["lon"]), (la, lo)) <= RINGS[i]:
            return i + 1 + len(DENSE)
    for i, (la, lo, r) in enumerate(STATIONS):
        if km((loc["lat"], loc["lon"]), (la, lo)) <= r:
            return ST + i
    return 0


def rail_ride(a, b):
    for x, y, ride in LINES:
        if {x, y} == {a, b} and a != b:
            return ride
    return None


def minutes_for(p, offer, dist):
    best = None
    a, b, n = dense_area(p["location"]), dense_area(offer["location"]), len(DENSE)
    dense = a and a == b and a <= n
    rer = a and b and (a + n == b or b + n == a)
    ring = a and a == b and a > n  # two towns of one ring: the suburban bus all the way
    for m in usable_modes(p, offer):
        d, v, w = TRANSIT_DENSE if m == "transit" and (dense or rer) else MODES[m]
        if m == "car":
            t = car_minutes(dist * d)
        elif m == "transit" and not (dense or rer or ring):
            t = transit_minutes(dist * d)
        else:
            t = dist * d / v * 60 + w
        if m == "transit" and rer:
            d, v, w = TRANSIT_RER
            t = min(t, dist * d / v * 60 + w)
        if m == "transit" and rail_ride(a, b) is not None:
            t = min(t, rail_ride(a, b) + RAIL_ACCESS)
        best = t if best is None else min(best, t)
    return best


def km_for_minutes(p, minutes):
    """Distance at which the candidate's fastest own mode takes `minutes`."""
    best = 0
    for m in p["mobility"]["modes"]:
        if m == "car" and not (p["mobility"]["driving_licence"] and p["mobility"]["vehicle"]):
            continue
        d, v, w = MODES[m]
        if m == "car":
            best = max(best, car_road_for(minutes) / d)
        elif m == "transit":
            best = max(best, transit_road_for(minutes) / d)
        else:
            best = max(best, max(0.0, (minutes - w)) / 60 * v / d)
    return best


# ROME 4.0 codes (France Travail since 2024): K1311 auxiliaire de vie / assistant de vie aux
# familles (K1302 in ROME v3), K1304 aide à domicile / employé familial, K1303 garde d'enfant.
PROFILE_KINDS = [
    # rome wanted, certs held, skills, modes, max, licence, vehicle, availability, children, solo
    dict(rome=["K1311"], certs=["DEAES"], skills=["Soins d'hygiène et de confort", "Aide à la prise des repas", "Courses"],
         modes=["transit", "walk"], max=45, lic=False, veh=False, avail=("mon tue wed thu fri", "08:30", "16:30"), kids=2, solo=True),
    dict(rome=["J1501"], certs=["DEAS"], skills=["Toilette", "Transferts", "Surveillance des constantes"],
         modes=["car"], max=40, lic=True, veh=True, avail=None, kids=0, solo=False),
    dict(rome=["K1311", "J1501"], certs=["DEAVS"], skills=["Aide au repas", "Ménage", "Toilette"],
         modes=["transit", "bike"], max=50, lic=False, veh=False, avail=("mon tue wed thu fri sat", "07:00", "20:00"), kids=0, solo=False),
    dict(rome=["J1304"], certs=["DEAP"], skills=["Soins aux nourrissons", "Animation"],
         modes=["transit", "walk"], max=40, lic=True, veh=False, avail=("mon tue wed thu fri", "07:30", "18:30"), kids=1, solo=False),
    dict(rome=["K1311", "K1304"], certs=[], skills=["Ménage", "Courses", "Préparation des repas"],
         modes=["car", "walk"], max=30, lic=True, veh=True, avail=("mon tue wed thu fri", "09:00", "17:00"), kids=3, solo=True),
    dict(rome=["J1506"], certs=["DEI"], skills=["Distribution des médicaments", "Soins d'hygiène"],
         modes=["car", "transit"], max=60, lic=True, veh=True, avail=None, kids=0, solo=False),
]

CONTRACT_PREFS = [["CDI"], ["CDI", "CDD"], [], ["CDD", "interim"], ["CDI"]]


def make_profile(i, town):
    k = PROFILE_KINDS[i % len(PROFILE_KINDS)]
    lat, lon = offset(town[1], town[2], rng.uniform(0, 3), rng.uniform(0, 360))
    p = {
        "id": "eval-c%02d" % i,
        "location": {"lat": lat, "lon": lon, "postcode": town[3], "city": town[0]},
        "desired_rome": k["rome"],
        "skills": k["skills"],
        "certifications": k["certs"],
        "experience_months": [6, 18, 30, 60, 0][i % 5],
        "mobility": {"modes": k["modes"], "max_minutes": k["max"], "driving_licence": k["lic"], "vehicle": k["veh"]},
        "childcare": {"children_under_12": k["kids"], "solo_parent": k["solo"]},
        "contracts": CONTRACT_PREFS[i % len(CONTRACT_PREFS)],
        "hours_per_week": {"min": 24, "max": 35},
        "disability_recognised": i % 7 == 3,
        "open_to_immersion": i % 3 != 2,
        "open_to_training": i % 4 != 3,
        "summary": "Profil d'évaluation %d, %s" % (i, town[0]),
        "status": "active",
    }
    # Matching v2 situations: a skill worded the other way, an apprenticeship wish, strict
    # wishes, work restrictions (for some of those with a recognised disability).
    if "DEAES" in k["certs"] or "DEAVS" in k["certs"]:
        p["skills"] = p["skills"] + ["Accompagnement des personnes handicapées"]
    if i % 5 == 4:
        p["contracts"] = p["contracts"] + ["apprentissage"]
    if i % 6 == 1:
        p["strict"] = ["hours"]
    elif i % 6 == 4:
        p["strict"] = ["contracts"]
    if i % 14 == 3:
        p["restrictions"] = ["lifting"]
    elif i % 14 == 10:
        p["restrictions"] = ["night", "standing"]
    if k["avail"]:
        d, f, t = k["avail"]
        p["availability"] = [{"days": d.split(), "from": f, "to": t}]
    return p


REGULATED = {"J1501": "DEAS", "J1304": "DEAP", "J1506": "DEI"}
# Diplomas the referential knows (engine/ref): hundreds of hours of training or VAE, which no
# pre-hire training of 400 hours gives (rule 2)
DIPLOMAS = {"DEAS", "DEAES", "DEAP", "DEI", "DEME", "DEES", "DETISF", "DEEJE", "DEASS", "DECESF",
            "DEA", "DEPUER", "CAP_AEPE", "TP_ADVF", "TP_ASMS", "BAC_PRO_ASSP", "DEAVS", "DEAMP",
            "MCAD"}
EQUIV = {"DEAVS": "DEAES", "MCAD": "DEAES", "DEAMP": "DEAES", "DPAS": "DEAS", "DPAP": "DEAP", "IDE": "DEI"}


def load_diploma_skills():
    """The skills each diploma certifies, as the engine's referential table lists them
    (engine/ref/diploma_skills_data.c, from the ROME 4.0 core skills)."""
    import re
    path = os.path.join(HERE, "..", "..", "engine", "ref", "diploma_skills_data.c")
    out = {}
    for code, label in re.findall(r'\{"([^"]+)", "((?:[^"\\]|\\.)*)"\}', open(path, encoding="utf-8").read()):
        out.setdefault(EQUIV.get(code.replace("_", ""), code.replace("_", "")), []).append(label)
    return out


DIPLOMA_SKILLS = load_diploma_skills()


def day_hours(p):
    if "availability" not in p:
        return None
    a = p["availability"][0]
    return a["days"], a["from"], a["to"]


def offer_base(p, j, rome, dist, bearing):
    lat, lon = offset(p["location"]["lat"], p["location"]["lon"], dist, bearing)
    days, f, t = ("mon tue wed thu fri".split(), "09:00", "16:00")
    ah = day_hours(p)
    if ah:  # a shift inside the stated availability
        days = [d for d in ah[0] if d in ("mon", "tue", "wed", "thu", "fri")] or ah[0]
        f = max(ah[1], "09:00") if ah[1] <= "09:00" else ah[1]
        t = "15:00" if ah[2] >= "15:00" else ah[2]
    held = {EQUIV.get(c, c) for c in p["certifications"]}
    certs = []
    if rome in REGULATED:
        certs.append({"code": REGULATED[rome], "required": True})
    elif "DEAES" in held:
        certs.append({"code": "DEAES", "required": False})
    return {
        "id": "eval-o%02d-%02d" % (int(p["id"][-2:]), j),
        "title": "Offre %s" % rome,
        "description": "Offre d'évaluation",
        "rome": rome,
        "employer": {"name": "Structure %d" % j, "kind": "ehpad" if rome == "J1501" else "saad"},
        "location": {"lat": lat, "lon": lon, "postcode": p["location"]["postcode"]},
        "contract": (p["contracts"] or ["CDI"])[0],
        "hours_per_week": 30,
        "schedule": [{"days": days, "from": f, "to": t}],
        "skills": [{"label": s, "required": n == 0} for n, s in enumerate(p["skills"][:2])],
        "certifications": certs,
        "driving_licence_required": False,
        "vehicle_provided": False,
        "accessible_to_disabled_workers": j % 2 == 0,
        "immersion_possible": False,
        "pre_hire_training": False,
        "status": "open",
    }


def make_offers(p):
    """27 offers around profile p, each a situation an adviser recognises (15 of matching v1,
    12 of matching v2)."""
    rome = p["desired_rome"][0]
    near = max(1.0, km_for_minutes(p, p["mobility"]["max_minutes"] * 0.3))
    mid = km_for_minutes(p, p["mobility"]["max_minutes"] * 0.75)
    lim = km_for_minutes(p, p["mobility"]["max_minutes"])
    out = []

    def add(o):
        out.append(o)
        return o

    add(offer_base(p, 0, rome, near * 0.5, 10))                       # ideal
    add(offer_base(p, 1, rome, mid, 80))                              # ideal, longer commute
    o = add(offer_base(p, 2, rome, near, 150))                        # skills not matching
    o["skills"] = [{"label": "Gestion administrative", "required": True}, {"label": "Comptabilité", "required": True}]
    o = add(offer_base(p, 3, rome, near, 200))                        # contract not wanted
    o["contract"] = "saisonnier"
    o = add(offer_base(p, 4, rome, near, 250))                        # hours far off
    o["hours_per_week"] = 10
    add(offer_base(p, 5, rome, lim * 1.15, 300))                      # a bit beyond the limit
    add(offer_base(p, 6, rome, max(lim * 3, 25), 330))                # far beyond
    o = add(offer_base(p, 7, rome, near, 30))                         # nights
    o["schedule"] = [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "21:00", "to": "07:00"}]
    o = add(offer_base(p, 8, rome, near, 60))                         # missing diploma, trains before hire
    o["certifications"] = o["certifications"] + [{"code": "DEAMP-X", "required": True}]
    o["pre_hire_training"] = True
    o["immersion_possible"] = True
    o = add(offer_base(p, 9, rome, near, 100))                        # missing diploma, no way in
    o["certifications"] = o["certifications"] + [{"code": "DEME", "required": True}]
    other = "K1303" if rome != "K1303" else "K1311"  # garde d'enfant: wanted by no profile
    add(offer_base(p, 10, other, near * 0.5, 120))                    # job not wanted
    o = add(offer_base(p, 11, rome, near, 170))                       # licence required
    o["driving_licence_required"] = True
    o["vehicle_provided"] = True
    o = add(offer_base(p, 12, rome, near, 220))                       # half the shift outside availability
    s = o["schedule"][0]
    ah = day_hours(p)
    if ah:
        s["from"], s["to"] = ("14:00", "20:30") if ah[2] < "20:30" else ("05:30", "12:00")
    o = add(offer_base(p, 13, rome, near, 270))                       # closed offer
    o["status"] = "closed"
    o = add(offer_base(p, 14, rome, near * 0.8, 340))                 # ideal, weekend included
    o["schedule"] = [{"days": ["sat", "sun"], "from": "09:00", "to": "15:00"}] if not ah or "sat" in ah[0] else o["schedule"]
    # ---- Matching v2 situations (issue #14) ----
    held = {EQUIV.get(c, c) for c in p["certifications"]}
    last = p["desired_rome"][-1]  # the trade the person may move to
    o = add(offer_base(p, 15, last, near * 0.6, 15))                  # apprenticeship
    o["contract"] = "apprentissage"
    o["pre_hire_training"] = False
    if last not in REGULATED:  # the diploma the contract prepares
        o["certifications"] = [{"code": "DEAES" if last in ("K1311", "K1304") else "DEI", "required": True}]
    o = add(offer_base(p, 16, rome, near * 0.7, 45))                  # one day never worked
    ah = day_hours(p)
    if ah:
        off = [d for d in ("sun", "sat") if d not in ah[0]][0]
        s0 = o["schedule"][0]
        o["schedule"] = [s0, {"days": [off], "from": s0["from"], "to": s0["to"]}]
    o = add(offer_base(p, 17, rome, near * 0.7, 75))                  # ends an hour after the day
    if ah:
        end = hm(ah[2]) + 60
        o["schedule"][0]["to"] = "%02d:%02d" % (end // 60, end % 60)
    o = add(offer_base(p, 18, rome, near * 0.7, 105))                 # own car for the rounds
    o["vehicle_required"] = True
    o = add(offer_base(p, 19, rome, near * 0.7, 135))                 # heavy handling
    o["physical_demands"] = ["lifting", "standing"]
    o = add(offer_base(p, 20, rome, near * 0.7, 165))                 # nights, no windows
    del o["schedule"]
    o["work_pattern"] = ["night"]
    o = add(offer_base(p, 21, rome, near * 0.7, 195))                 # a two-month fixed term
    o["contract"] = "CDD"
    o["contract_duration_days"] = 60
    o = add(offer_base(p, 22, rome, near * 0.7, 225))                 # 3 years' experience required
    o["experience"] = {"level": "required", "months": 36}
    o["immersion_possible"] = True
    o = add(offer_base(p, 23, rome, near * 0.7, 255))                 # beginners welcome
    o["experience"] = {"level": "beginner_ok"}
    o = add(offer_base(p, 24, rome, near * 0.7, 285))                 # a skill the diploma certifies
    implied = [l for c in held for l in DIPLOMA_SKILLS.get(c, []) if l not in p["skills"]]
    o["skills"] = [{"label": implied[0] if implied else "Veiller à l'hygiène corporelle des personnes",
                    "required": True}]
    o = add(offer_base(p, 25, rome, near * 0.7, 315))                 # the same skill, other words
    o["skills"] = [{"label": "Accompagnement des personnes en situation de handicap", "required": True}]
    add(offer_base(p, 26, rome, lim * 1.05, 345))                     # just beyond the limit
    return out


def hm(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def slot_cover(p, o):
    """Share of the offer's weekly minutes inside the availability (adviser's reading)."""
    if "availability" not in p or not o["schedule"]:
        return 1.0
    a = p["availability"][0]
    tot = inside = 0
    for w in o["schedule"]:
        f, t = hm(w["from"]), hm(w["to"])
        for d in w["days"]:
            spans = [(f, t)] if t > f else [(f, 1440), (0, t)]
            for s, e in spans:
                tot += e - s
                if d in a["days"]:
                    inside += max(0, min(e, hm(a["to"])) - max(s, hm(a["from"])))
    return inside / tot if tot else 1.0


def norm(label):
    """The adviser reads two wordings of one skill as the same (RULES.md, rule 9)."""
    t = label.lower()
    for x, y in (("é", "e"), ("è", "e"), ("ê", "e"), ("à", "a"), ("â", "a"), ("ô", "o"), ("î", "i"),
                 ("ç", "c"), ("'", " "), ("’", " ")):
        t = t.replace(x, y)
    words = [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in t.split()]
    t = " ".join(words)
    for x, y in (("en situation de handicap", "handicap"), ("handicapee", "handicap"),
                 ("handicape", "handicap")):
        t = t.replace(x, y)
    return t


def last_end(p, day):
    a = p["availability"][0]
    return hm(a["to"]) if day in a["days"] else None


def judge(p, o):
    """Adviser rules (RULES.md): (grade, lever) with grade 2 = propose now, 1 = propose with one
    lever or a compromise, 0 = do not propose; lever = (barrier kind, lever) when the grade is 1
    because of exactly one obstacle and no compromise (a "lever case"), else None."""
    if o["status"] != "open" or o["rome"] not in p["desired_rome"]:
        return 0, None
    held = {EQUIV.get(c, c) for c in p["certifications"]}
    missing = [c["code"] for c in o["certifications"] if c["required"] and EQUIV.get(c["code"], c["code"]) not in held]
    if o["rome"] in REGULATED and REGULATED[o["rome"]] not in held and REGULATED[o["rome"]] not in missing:
        missing.append(REGULATED[o["rome"]])
    required_certs = [c for c in o["certifications"] if c["required"]] or (
        [{"code": REGULATED[o["rome"]]}] if o["rome"] in REGULATED else [])
    apprentice = o["contract"] in ("apprentissage", "professionnalisation")
    takes = o["contract"] in p["contracts"] or (not p["contracts"] and p["open_to_training"])
    obstacles = []  # (kind, lever)
    compromise = False
    if apprentice and required_certs and not missing:
        return 0, None  # rule 2b: she holds what the contract prepares
    strict = set(p.get("strict", []))
    if missing and apprentice and takes:
        missing = []  # rule 2a: the route to the diploma
    elif missing and apprentice and p["contracts"] and p["open_to_training"] and "contracts" not in strict:
        missing = []  # rule 2a: the route all the same; the contract kind is a compromise (rule 6)
    if missing:
        # by law, or any diploma: no POE gives it
        long_way = any(c in REGULATED.values() or EQUIV.get(c, c) in DIPLOMAS for c in missing)
        if o["pre_hire_training"] and p["open_to_training"] and not long_way:
            obstacles.append(("certification", "pre_hire_training"))
        else:
            return 0, None
    dist = km((p["location"]["lat"], p["location"]["lon"]), (o["location"]["lat"], o["location"]["lon"]))
    t = minutes_for(p, o, dist)
    limit = p["mobility"]["max_minutes"]
    if t is None or t > 1.5 * limit:
        return 0, None
    if t > limit:
        if math.floor(t + 0.5) <= 1.1 * limit:
            compromise = True  # a tenth over her limit: to check with her (rule 3)
        else:
            obstacles.append(("commute", "mobility_aid"))
    mob = p["mobility"]
    if o["driving_licence_required"] and not mob["driving_licence"]:
        return 0, None
    if o.get("vehicle_required") and not (mob["driving_licence"] and mob["vehicle"]):
        if not mob["driving_licence"]:
            return 0, None
        obstacles.append(("vehicle", "mobility_aid"))
    kids = p["childcare"]["children_under_12"] > 0
    solo = kids and p["childcare"]["solo_parent"]
    restr = set(p.get("restrictions", []))
    sched = o.get("schedule") or []
    if "availability" in p and sched:
        a = p["availability"][0]
        days_off = [d for w in sched for d in w["days"] if d not in a["days"]]
        cover = slot_cover(p, o)
        late = any(last_end(p, d) is not None and hm(w["to"]) > last_end(p, d)
                   for w in sched for d in w["days"] if hm(w["to"]) > hm(w["from"]))
        if days_off:
            if not kids:
                return 0, None
            obstacles.append(("schedule", "childcare_aid"))
        elif cover < 0.75:
            return 0, None
        elif late and solo:
            obstacles.append(("schedule", "childcare_aid"))
        elif cover < 1.0:
            compromise = True
    if "availability" in p and not sched and "night" in o.get("work_pattern", []):
        if not kids:
            return 0, None
        obstacles.append(("schedule", "childcare_aid"))
    nights = "night" in o.get("work_pattern", []) or any(
        hm(w["to"]) <= hm(w["from"]) or hm(w["from"]) >= 21 * 60 for w in sched)
    if "night" in restr and nights:
        return 0, None
    demands = set(o.get("physical_demands", [])) & (restr - {"night"})
    if demands:
        obstacles.append(("disability", "workplace_adaptation"))
    if p["contracts"] and o["contract"] not in p["contracts"] and not (apprentice and takes):
        if "contracts" in strict:
            return 0, None
        compromise = True
    hrs = p["hours_per_week"]
    if o.get("hours_per_week"):
        h = o["hours_per_week"]
        if "hours" in strict and not (hrs["min"] <= h <= hrs["max"]):
            return 0, None
        if not (hrs["min"] - 4 <= h <= hrs["max"] + 4):
            compromise = True
    xp = o.get("experience", {})
    if xp.get("level") in ("required", "wanted") and p["experience_months"] < xp.get("months", 0):
        if xp["level"] == "wanted" or p["experience_months"] >= 0.8 * xp["months"]:
            compromise = True  # wanted, or most of what is required: to discuss
        elif o["immersion_possible"] and p["open_to_immersion"]:
            obstacles.append(("experience", "immersion"))
        else:
            return 0, None
    own = {norm(s) for s in p["skills"]} | {norm(s) for c in held for s in DIPLOMA_SKILLS.get(c, [])}
    req = [s["label"] for s in o["skills"] if s["required"]]
    if req and not any(norm(r) in own for r in req):
        compromise = True
    if len(obstacles) >= 2 or (obstacles and compromise):
        return 0, None
    if obstacles:
        return 1, obstacles[0]
    return (1 if compromise else 2), None


def main():
    towns = pick_towns(30)
    assert len(towns) == 30, len(towns)
    profiles, offers, qrels = [], [], []
    for i, town in enumerate(towns):
        p = make_profile(i, town)
        profiles.append(p)
        for o in make_offers(p):
            offers.append(o)
    # Judge every offer a profile could be shown (its own 15; others are >= 85 km away and
    # count as not relevant, 0, like any unjudged result).
    for p in profiles:
        for o in offers:
            if o["id"].startswith("eval-o%s-" % p["id"][-2:]):
                grade, lever = judge(p, o)
                q = {"candidate": p["id"], "offer": o["id"], "grade": grade}
                if lever:
                    q["barrier"], q["lever"] = lever
                qrels.append(q)
    for name, rows in (("profiles", profiles), ("offers", offers), ("judgements", qrels)):
        with open(os.path.join(HERE, name + ".ndjson"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    g = [q["grade"] for q in qrels]
    print("profiles %d offers %d judgements %d (grade 2: %d, 1: %d, 0: %d)" % (
        len(profiles), len(offers), len(qrels), g.count(2), g.count(1), g.count(0)))


if __name__ == "__main__":
    main()
