"""France Travail import through the CLI (data directory, server stopped): the NDJSON report
(every line JSON, a summary last), unchanged offers not rewritten, the daily refresh of a
departement closing the offers that disappeared; then the real server serves the result."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest  # noqa: E402
from cmtest import check, eq  # noqa: E402

CLI = os.path.join(os.path.dirname(cmtest.binary()), "carematch")
WORK = cmtest.tmpdir("ft")
DATA = os.path.join(WORK, "data")


def offer(oid, postcode, commune, city, **over):
    """An invented offer of 2025 in France Travail's format."""
    o = {"id": oid, "intitule": "Aide à domicile (H/F)",
         "description": "Interventions chez des personnes âgées.\nPermis B exigé.",
         "dateCreation": "2025-09-01T06:00:00.000Z",
         "lieuTravail": {"libelle": city, "codePostal": postcode, "commune": commune},
         "romeCode": "K1302", "romeLibelle": "Assistant / Assistante de vie dépendance",
         "typeContrat": "CDI", "typeContratLibelle": "Contrat à durée indéterminée",
         "natureContrat": "Contrat travail", "experienceExige": "D",
         "experienceLibelle": "Débutant accepté",
         "salaire": {"libelle": "Horaire de 12,00 Euros"},
         "dureeTravailLibelle": "30H/semaine\nTravail en journée",
         "contexteTravail": {"horaires": ["30H/semaine", "Travail en journée"]},
         "alternance": False, "codeNAF": "88.10A"}
    o.update(over)
    return o


def write(name, offers, shape="answer"):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        if shape == "answer":
            json.dump({"resultats": offers, "filtresPossibles": []}, f, ensure_ascii=False)
        else:
            for o in offers:
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
    return path


def run(*args):
    p = subprocess.run([CLI, "--data", DATA] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def report_lines(text):
    """Every line must be one JSON object; returns them."""
    out = []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            raise AssertionError("report line is not JSON: %r" % line)
        check(isinstance(out[-1], dict), "report line is not an object: %r" % line)
    return out


def get(oid):
    rc, out, err = run("get", "offer", oid)
    eq(rc, 0, "get %s: %s" % (oid, err))
    return json.loads(out)


DAY1 = [offer("93A0001", "93200", "93066", "93 - ST DENIS"),
        offer("93B0002", "93100", "93048", "93 - MONTREUIL"),
        offer("93C0003", "93300", "93001", "93 - AUBERVILLIERS"),
        offer("75D0004", "75011", "75111", "75 - Paris 11e Arrondissement"),
        offer("93E0005", "93200", "93066", "93 - ST DENIS",
              dureeTravailLibelle="Horaires\nvariables", contexteTravail={}),
        offer("93F0006", "", "", "93 - Seine-Saint-Denis", lieuTravail={
            "libelle": "93 - Seine-Saint-Denis", "latitude": 48.91, "longitude": 2.48})]


def test_first_import_and_report():
    rep = os.path.join(WORK, "day1-report.ndjson")
    rc, out, err = run("import", "--format", "france-travail", "--refresh-department", "93",
                       "--report", rep, write("day1.json", DAY1))
    eq(rc, 1, "import day 1 (one offer rejected: exit 1): " + err)
    with open(rep, encoding="utf-8") as f:
        text = f.read()
    lines = report_lines(text)
    summary = lines[-1]
    check(summary.get("summary") is True, "last line is the summary: %r" % summary)
    eq(summary["read"], 6)
    eq(summary["imported"], 5)
    eq(summary["rejected"], 1)
    eq(summary["closed"], 0)
    eq(summary["outside_department"], 1)  # the Paris offer: imported, never closed by 93
    eq(summary["findings"].get("place_department_only"), 1)
    eq(summary["findings"].get("hours_unreadable"), 1)
    by_code = {(l.get("id"), l.get("code")): l for l in lines[:-1]}
    h = by_code[("93E0005", "hours_unreadable")]
    eq(h["value"], "Horaires\nvariables")  # whole, first letter kept, newline escaped
    eq(h["level"], "lost")
    eq(h["field"], "dureeTravailLibelle")
    d = by_code[("93F0006", "place_department_only")]
    eq(d["level"], "reject")
    # counts in the summary are the lines above it
    for code, n in summary["findings"].items():
        eq(sum(1 for l in lines[:-1] if l["code"] == code), n, code)
    stats = json.loads(out)
    eq(stats["accepted"], 5)
    a = get("ft-93A0001")
    eq(a["work_pattern"], ["day"])
    eq(a["hours_per_week"], 30)
    eq(a["employer"]["kind"], "saad")
    eq(a["location"]["commune"], "93066")
    eq(a["location"]["city"], "Saint-Denis")  # the commune's name, not "ST DENIS"
    eq(a["salary"]["period"], "hour")


def test_same_answer_again_changes_nothing():
    rc, out, err = run("import", "--format", "france-travail", write("day1b.json", DAY1))
    eq(rc, 1, err)  # the same rejected offer
    stats = json.loads(out)
    eq(stats["accepted"], 0)
    eq(stats["unchanged"], 5)
    eq(get("ft-93A0001")["version"], 1)
    # without --report the report goes to stderr, still one JSON object a line
    lines = report_lines(err)
    check(lines[-1].get("summary") is True)
    # options after the file read as options, not as file names
    rep = os.path.join(WORK, "after.ndjson")
    rc, out, err = run("import", write("day1c.json", DAY1), "--format", "france-travail",
                       "--report", rep)
    eq((rc, json.loads(out)["unchanged"]), (1, 5), err)
    check(report_lines(open(rep).read())[-1].get("summary") is True, "the report in its file")
    rc, _, err = run("import", "--format", "france-travail", "--reprot", rep,
                     write("day1d.json", DAY1))
    eq(rc, 2, "an unknown option is a usage error: %s" % err)
    check("unknown option --reprot" in err, err)


def test_refresh_closes_what_disappeared():
    day2 = [offer("93A0001", "93200", "93066", "93 - ST DENIS"),  # unchanged
            offer("93B0002", "93100", "93048", "93 - MONTREUIL",
                  salaire={"libelle": "Horaire de 12,50 Euros"}),  # changed
            offer("93G0007", "93100", "93048", "93 - MONTREUIL"),  # new
            offer("93E0005", "", "", "93 - Seine-Saint-Denis", lieuTravail={  # now refused
                "libelle": "93 - Seine-Saint-Denis", "latitude": 48.91, "longitude": 2.48})]
    # C is gone from the day's answer, E is there but refused (placed at département level
    # only: its stored version no longer says what France Travail does); D is in Paris
    rep = os.path.join(WORK, "day2-report.ndjson")
    rc, out, err = run("import", "--format", "france-travail", "--refresh-department", "93",
                       "--report", rep, write("day2.ndjson", day2, shape="ndjson"))
    check(rc in (0, 1), "import day 2: " + err)
    with open(rep, encoding="utf-8") as f:
        lines = report_lines(f.read())
    summary = lines[-1]
    eq(summary["read"], 4)
    eq(summary["unchanged"], 1)
    eq(summary["imported"], 2)
    eq(summary["rejected"], 1)
    eq(summary["closed"], 2)
    closed = sorted(l["id"] for l in lines if l.get("code") == "offer_closed")
    eq(closed, ["93C0003", "93E0005"])
    eq(json.loads(out)["closed"], 2)
    eq(get("ft-93A0001")["version"], 1)
    b = get("ft-93B0002")
    eq(b["version"], 2)
    eq(b["salary"]["min"], 12.5)
    eq(get("ft-93C0003")["status"], "closed")
    eq(get("ft-75D0004")["status"], "open")
    eq(get("ft-93G0007")["status"], "open")


def test_reopened_when_it_comes_back():
    rc, out, err = run("import", "--format", "france-travail",
                       write("day3.json", [offer("93C0003", "93300", "93001",
                                                 "93 - AUBERVILLIERS")]))
    eq(rc, 0, err)
    eq(get("ft-93C0003")["status"], "open")


def test_empty_refresh_closes_nothing():
    rc, out, err = run("import", "--format", "france-travail", "--refresh-department", "93",
                       write("empty.json", []))
    eq(rc, 3, "an empty answer must not pass for a complete refresh (exit 3)")
    check("nothing closed" in err, err)
    eq(get("ft-93A0001")["status"], "open")
    # offers, but none of the departement (the wrong one fetched): nothing closed either
    rc, out, err = run("import", "--format", "france-travail", "--refresh-department", "93",
                       write("other.json", [offer("75D0004", "75011", "75111",
                                                  "75 - Paris 11e Arrondissement")]))
    eq(rc, 3, "a refresh with no offer of the departement must not close it (exit 3)")
    check("nothing closed" in err and "departement 93" in err, err)
    eq(get("ft-93A0001")["status"], "open")
    rc, out, err = run("import", "--format", "france-travail", "--refresh-department", "9",
                       write("x.json", DAY1[:1]))
    eq(rc, 2)
    rc, out, err = run("import", "--refresh-department", "93", write("y.json", DAY1[:1]))
    eq(rc, 2)  # a contract-format import has no refresh
    same = write("same.json", DAY1[:1])
    rc, out, err = run("import", "--format", "france-travail", "--report", same, same)
    eq(rc, 2)
    check(os.path.getsize(same) > 0, "the input was emptied")


def test_cut_or_failed_page_closes_nothing():
    """A refresh whose pages are not all whole (a download cut short, an error body instead
    of offers, one garbled line) cannot tell which offers are gone: nothing is closed."""
    good = write("page1.json", [offer("93A0001", "93200", "93066", "93 - ST DENIS")])
    whole = json.dumps({"resultats": [
        offer("93B0002", "93100", "93048", "93 - MONTREUIL",
              salaire={"libelle": "Horaire de 12,50 Euros"}),
        offer("93G0007", "93100", "93048", "93 - MONTREUIL")]}, ensure_ascii=False)
    cut = os.path.join(WORK, "page2-cut.json")
    with open(cut, "w", encoding="utf-8") as f:
        f.write(whole[:len(whole) // 2])
    error_body = os.path.join(WORK, "page2-error.json")
    with open(error_body, "w", encoding="utf-8") as f:
        f.write('{"message": "Quota exceeded"}')
    garbled = os.path.join(WORK, "page2-garbled.ndjson")
    with open(garbled, "w", encoding="utf-8") as f:
        f.write(json.dumps(offer("93B0002", "93100", "93048", "93 - MONTREUIL",
                                 salaire={"libelle": "Horaire de 12,50 Euros"}),
                           ensure_ascii=False) + "\n")
        f.write('{"id": "93G0007", "intitule": "Aide \n')
    empty_page = write("page2-empty.json", [])
    for second in (cut, error_body, garbled, empty_page):
        rc, out, err = run("import", "--format", "france-travail", "--refresh-department",
                           "93", good, second)
        eq(rc, 3, "%s: a refresh with an unreadable piece must fail (exit 3): %s"
           % (os.path.basename(second), err))
        check("nothing closed" in err, err)
        if second == error_body:  # said as what it is, not as an offer without an id
            check("an error answer, not offers: Quota exceeded" in err, err)
        eq(json.loads(out)["closed"], 0)
        for oid in ("ft-93B0002", "ft-93G0007", "ft-93C0003"):
            eq(get(oid)["status"], "open", "%s after %s" % (oid, os.path.basename(second)))


def test_record_refusal_is_reported_with_its_id():
    """An offer the record validator refuses (a title that is not UTF-8) is one reject line."""
    o = offer("93H0008", "93200", "93066", "93 - ST DENIS", intitule="@@@")
    path = os.path.join(WORK, "bad.json")
    with open(path, "wb") as f:
        f.write(json.dumps([o]).encode().replace(b"@@@", b"Aide \xe0 domicile"))
    rc, out, err = run("import", "--format", "france-travail", path)
    eq(rc, 1, err)  # a rejected offer: exit 1
    lines = report_lines(err)
    bad = [l for l in lines if l.get("code") == "record_invalid"]
    eq(len(bad), 1)
    eq(bad[0]["id"], "93H0008")
    eq(bad[0]["level"], "reject")
    eq(lines[-1]["rejected"], 1)


def test_duplicate_ids_keep_the_last():
    """Paged downloads can hold one offer twice: the last occurrence is stored, once (its
    version moves once), and an import of the same files again writes nothing."""
    first = offer("93J0010", "93200", "93066", "93 - ST DENIS")
    last = offer("93J0010", "93200", "93066", "93 - ST DENIS", typeContrat="CDD",
                 typeContratLibelle="CDD - 3 Mois")
    path = write("dup.json", [first, first, last])
    for round_ in (1, 2):
        rc, out, err = run("import", "--format", "france-travail", path)
        eq(rc, 0, err)
        eq(get("ft-93J0010")["contract"], "CDD", "round %d: the last occurrence" % round_)
        eq(get("ft-93J0010")["version"], 1, "round %d: written once, then never again" % round_)
        dups = [l for l in report_lines(err) if l.get("code") == "duplicate_id"]
        eq(len(dups), 2, "round %d: each later occurrence reported" % round_)
        eq(dups[0]["level"], "guess")


def test_server_serves_the_refreshed_offers():
    srv = cmtest.Server("ftsrv", data=DATA).start()
    try:
        st, _, body = srv.request("GET", "/v1/offers/ft-93E0005")
        eq(st, 200)
        eq(body["status"], "closed")
        st, _, body = srv.request("GET", "/v1/offers/ft-93G0007")
        eq(st, 200)
        eq(body["location"]["commune"], "93048")
    finally:
        srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    try:
        rc = cmtest.main(globals())
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(rc)
