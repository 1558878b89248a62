#!/usr/bin/env python3
"""Generate engine/ref/synonyms_data.c: the search's synonym groups (issue #15 point 1).

A group is a set of interchangeable phrasings: a sector acronym and its spelled-out forms
("EHPAD" = "établissement d'hébergement pour personnes âgées dépendantes" = "maison de
retraite"). A query naming one matches offers naming any (engine/textquery.c).

Seeded from the ROME 4.0 job titles (../shared/data/rome/raw/unix_referentiel_appellation_v460_utf8.csv,
Licence Ouverte / Etalab 2.0): every acronym a title of a health or social code (J, K) spells
out, like "Agent / Agente de service hospitalier (ASH)", with the words its letters stand for;
then the sector's own list below (establishments, diplomas, schemes), curated by hand.

Usage: python3 scripts/gen_synonyms.py [path/to/appellations.csv] [out.c]
Deterministic: running it twice gives the same bytes.
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "..", "shared", "data", "rome", "raw", "unix_referentiel_appellation_v460_utf8.csv")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "engine", "ref", "synonyms_data.c")

# The sector's groups (HAND). First the acronym or short form, then what it stands for.
CURATED = [
    ["AVS", "auxiliaire de vie sociale", "auxiliaire de vie scolaire"],
    ["AES", "accompagnant éducatif et social"],
    ["AESH", "accompagnant des élèves en situation de handicap"],
    ["ASH", "agent de service hospitalier", "agent des services hospitaliers"],
    ["IDE", "infirmier diplômé d'état", "infirmier"],
    ["IDEC", "infirmier coordinateur"],
    ["IBODE", "infirmier de bloc opératoire"],
    ["IADE", "infirmier anesthésiste"],
    ["AMP", "aide médico-psychologique"],
    ["EHPAD", "établissement d'hébergement pour personnes âgées dépendantes", "maison de retraite"],
    ["EHPA", "établissement d'hébergement pour personnes âgées"],
    ["SSIAD", "service de soins infirmiers à domicile"],
    # not "service d'aide à domicile": three words any home-care offer holds (SSIAD ones too)
    ["SAAD", "service d'aide et d'accompagnement à domicile"],
    ["SPASAD", "service polyvalent d'aide et de soins à domicile"],
    ["ADVF", "assistant de vie aux familles"],
    ["ASG", "assistant de soins en gérontologie"],
    ["TISF", "technicien de l'intervention sociale et familiale"],
    ["DEAS", "diplôme d'état d'aide-soignant"],
    ["DEAES", "diplôme d'état d'accompagnant éducatif et social"],
    ["DEAP", "diplôme d'état d'auxiliaire de puériculture"],
    ["DEEJE", "diplôme d'état d'éducateur de jeunes enfants"],
    ["ESAT", "établissement et service d'aide par le travail"],
    ["IME", "institut médico-éducatif"],
    ["MAS", "maison d'accueil spécialisée"],
    ["FAM", "foyer d'accueil médicalisé"],
    ["SESSAD", "service d'éducation spéciale et de soins à domicile"],
    ["CCAS", "centre communal d'action sociale"],
    ["USLD", "unité de soins de longue durée"],
    ["SSR", "soins de suite et de réadaptation"],
    ["HAD", "hospitalisation à domicile"],
    ["EJE", "éducateur de jeunes enfants"],
    ["CESF", "conseiller en économie sociale et familiale"],
    ["ATSEM", "agent territorial spécialisé des écoles maternelles"],
    ["MARPA", "maison d'accueil rurale pour personnes âgées"],
    ["PUV", "petite unité de vie"],
    ["PMR", "personne à mobilité réduite"],
    ["RQTH", "reconnaissance de la qualité de travailleur handicapé"],
    ["PMSMP", "période de mise en situation en milieu professionnel", "immersion",
     "immersion professionnelle"],
    ["POE", "préparation opérationnelle à l'emploi", "POEI", "POEC"],
    ["AFPR", "action de formation préalable au recrutement"],
    ["CDI", "contrat à durée indéterminée"],
    ["CDD", "contrat à durée déterminée"],
    ["auxiliaire de vie", "assistant de vie"],
]

STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "à", "au", "aux",
        "pour", "par", "sur", "dans"}


def initials(words):
    return "".join(w[0].upper() for w in words)


def from_titles(path):
    """acronym -> [spelled-out phrase] from the J and K job titles."""
    found = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["code_rome"][:1] not in ("J", "K"):
                continue
            label = row["libelle_appellation_long"]
            m = re.search(r"\(\s*([A-Z]{3,6})\s*\)|-\s*([A-Z]{3,6})\s*-", label)
            if not m:
                continue
            acr = m.group(1) or m.group(2)
            before = label[:m.start()].strip()
            if " / " in before:  # "Agent / Agente de service...": the feminine side holds the rest
                before = before.split(" / ")[-1]
            words = [w for w in re.split(r"[\s'’\-]+", before) if w]
            sig = [i for i, w in enumerate(words) if w.lower() not in STOP]
            for k in range(1, len(sig) + 1):
                if initials(words[i] for i in sig[-k:]) == acr:
                    start = sig[-k]
                    # the phrase from that word, in its original spelling
                    idx = 0
                    for _ in range(start):
                        idx = before.index(words[_], idx) + len(words[_])
                    phrase = before[before.index(words[start], idx):].strip()
                    found.setdefault(acr, [])
                    if phrase.lower() not in [p.lower() for p in found[acr]]:
                        found[acr].append(phrase)
                    break
    return found


def main():
    groups = [list(g) for g in CURATED]
    index = {g[0]: g for g in groups}
    for acr, phrases in sorted(from_titles(SRC).items()):
        g = index.get(acr)
        if g is None:
            g = index[acr] = [acr]
            groups.append(g)
        for p in phrases:
            if p.lower() not in [x.lower() for x in g]:
                g.append(p)
    for g in groups:
        for p in g:
            assert "|" not in p and '"' not in p and "\\" not in p, p
    lines = [
        "/* GENERATED by scripts/gen_synonyms.py from ../shared/data (ROME 4.0 job titles) and",
        " * the script's own list; do not edit by hand. One group per string, phrasings split",
        " * by '|': interchangeable in a search. */",
        "#include <stddef.h>",
        "",
        "const char *const cm__synonym_groups[] = {",
    ]
    for g in groups:
        lines.append('    "%s",' % "|".join(g))
    lines += ["};", "const size_t cm__n_synonym_groups = sizeof cm__synonym_groups / "
              "sizeof cm__synonym_groups[0];", ""]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("%d groups -> %s" % (len(groups), OUT))


if __name__ == "__main__":
    main()
