/* Hours as the offer words them and as a parent lives them: a night, weekend, rota or split
 * pattern beside or without hours, and a solo parent's journeys inside her day. */
#include <string.h>

#include "fixtures.h"
#include "pair.h"
#include "score.h"
#include "test.h"

/* The offer's words beside its hours: "travail le week-end" with weekday hours given, nights
 * in alternation with a day shift given (adviser probe: the label was read only without
 * hours). */
static void test_pattern_beside_hours(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    cm_window_t avail[] = {{DAYS_WEEK, HM(8, 0), HM(17, 0)}};
    cm_window_t day[] = {{DAYS_WEEK, HM(8, 30), HM(16, 0)}};
    c.availability = avail;
    c.n_availability = 1;
    o.schedule = day;
    o.n_schedule = 1;
    ASSERT(pair(&c, &o).eligible);
    o.work_pattern = CM_WORK_WEEKEND;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(b && b->hard && b->days == 0x60 && b->what == CM__WORK_WEEKEND);
    ASSERT_EQ(b->levers, 0u); /* no children: no childcare aid */
    o.work_pattern = CM_WORK_DAY | CM_WORK_NIGHT | CM_WORK_SHIFTS;
    c.has_childcare = true;
    c.children_under_12 = 1;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(b && b->what == CM__WORK_NIGHT && b->levers == CM_LEVER_CHILDCARE_AID);
    b = find_code(&m, CM_BC_CHILDCARE_HOURS);
    ASSERT(b && (b->what & 4u)); /* the childcare note names the night too */
    /* a couple is told of care to arrange, not of France Travail's aid, a solo parent's (an
     * adviser's probe) */
    ASSERT(strstr(b->detail_fr, "mode de garde à organiser (aides de la CAF)") &&
           !strstr(b->detail_fr, "France Travail"));
    c.solo_parent = true;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_CHILDCARE_HOURS);
    ASSERT(b && strstr(b->detail_fr, "parent seul : aide à la garde d'enfants possible (France "
                                     "Travail"));
    c.solo_parent = false;
    m = pair(&c, &o);
    /* a shift ending at 21:15 is an evening for the note, not a night (a helper's probe) */
    {
        cm_offer_t ev = o;
        cm_window_t late_shift[] = {{DAYS_WEEK, HM(13, 45), HM(21, 15)}};
        ev.schedule = late_shift;
        ev.n_schedule = 1;
        ev.work_pattern = 0;
        cm_match_t e = pair(&c, &ev);
        const cm_barrier_t *n = find_code(&e, CM_BC_CHILDCARE_HOURS);
        ASSERT(n && (n->what & 2u) && !(n->what & 4u));
        ASSERT(!strstr(n->detail_fr, "nuit"));
    }
    /* available on weekends: the label asks nothing she cannot give */
    cm_window_t all[] = {{0x7f, HM(0, 0), HM(0, 0)}};
    c.availability = all;
    o.work_pattern = CM_WORK_WEEKEND;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_PATTERN));
    /* night work said without hours asks three hours of night availability (the labour
     * code's night work): free until 21:30 is evening, not night */
    cm_window_t evening[] = {{0x7f, HM(6, 30), HM(21, 30)}};
    cm_window_t nightly[] = {{0x7f, HM(20, 0), HM(7, 0)}};
    c.availability = evening;
    c.has_childcare = false;
    c.children_under_12 = 0;
    o.schedule = NULL;
    o.n_schedule = 0;
    o.work_pattern = CM_WORK_NIGHT;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(!m.eligible && b && b->what == CM__WORK_NIGHT);
    c.availability = nightly;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_PATTERN));
    /* nights "un week-end sur deux" for someone free nights from Sunday to Thursday: one day
     * of the weekend, a note to check with her, eligible (an adviser's probe: no word) */
    cm_window_t sun_thu[] = {{0x4f, HM(20, 0), HM(7, 0)}};
    c.availability = sun_thu;
    o.work_pattern = CM_WORK_NIGHT | CM_WORK_WEEKEND;
    m = pair(&c, &o);
    ASSERT(m.eligible);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(b && !b->hard && b->what == CM__WORK_WEEKEND && b->days == 0x20);
    ASSERT(strstr(b->detail_fr, "le week-end, la personne n'est disponible que le dimanche"));
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 0.5, 0);
    /* an offer that states neither a pattern nor windows: its title and description say it
     * (an adviser's probe: "Aide-soignant de nuit ... 21h-7h" and "samedis et dimanches
     * uniquement" were clean matches for a weekday solo parent) */
    {
        cm_window_t weekdays[] = {{DAYS_WEEK, HM(8, 0), HM(18, 0)}};
        cm_candidate_t d = c;
        d.availability = weekdays;
        d.n_availability = 1;
        cm_offer_t t = o;
        t.schedule = NULL;
        t.n_schedule = 0;
        t.work_pattern = 0;
        t.title = "Aide-soignant de nuit";
        t.description = "EHPAD recherche aide-soignant(e), 3 nuits par semaine, 21h-7h.";
        cm_match_t tm = pair(&d, &t);
        const cm_barrier_t *tb = find_code(&tm, CM_BC_SCHEDULE_PATTERN);
        ASSERT(!tm.eligible && tb && tb->hard && (tb->what & CM__WORK_NIGHT));
        t.title = "Aide-soignant week-end";
        t.description = "Poste les samedis et dimanches uniquement.";
        tm = pair(&d, &t);
        tb = find_code(&tm, CM_BC_SCHEDULE_PATTERN);
        ASSERT(!tm.eligible && tb && tb->hard && (tb->what & CM__WORK_WEEKEND));
        t.title = "Aide-soignant";
        t.description = "EHPAD."; /* nothing said: nothing held against her */
        ASSERT(!has_code(pair(&d, &t), CM_BC_SCHEDULE_PATTERN));
        /* the days and hours a description states are its windows (an adviser's probe: a
         * night worker was a clean match for "du lundi au vendredi de 8h à 13h") */
        t.description = "Vous intervenez du lundi au vendredi de 8h à 13h au domicile des "
                        "bénéficiaires.";
        double hours_was = t.hours_per_week;
        t.hours_per_week = 25;
        cm_window_t nights[] = {{DAYS_WEEK, HM(21, 0), HM(7, 0)}};
        cm_candidate_t n = d;
        n.availability = nights;
        tm = pair(&n, &t);
        ASSERT(!tm.eligible && find_code(&tm, CM_BC_SCHEDULE_COVERAGE));
        ASSERT(pair(&d, &t).eligible); /* her weekdays 8-18 hold it */
        /* a night job's text naming day hours (a meeting's, the house's): not its windows */
        t.work_pattern = CM_WORK_NIGHT;
        ASSERT(pair(&n, &t).eligible);
        t.work_pattern = 0;
        /* a weekend-only student and an offer silent on its days: a note (a probe: clean) */
        cm_window_t weekends[] = {{0x60, HM(7, 0), HM(20, 0)}};
        n.availability = weekends;
        t.description = "Auxiliaire de vie en journée.";
        t.work_pattern = CM_WORK_DAY;
        tm = pair(&n, &t);
        tb = find_code(&tm, CM_BC_SCHEDULE_PATTERN);
        ASSERT(tm.eligible && tb && !tb->hard && tb->what == CM__WORK_DAY &&
               strstr(tb->detail_fr, "L'offre ne précise ni ses jours ni un travail le week-end"));
        t.work_pattern = CM_WORK_WEEKEND; /* said: nothing to check */
        ASSERT(!has_code(pair(&n, &t), CM_BC_SCHEDULE_PATTERN));
        t.work_pattern = 0;
        t.hours_per_week = hours_was;
        t.title = "Aide-soignant de nuit"; /* a pattern stated wins over the text */
        t.work_pattern = CM_WORK_DAY;
        ASSERT(!has_code(pair(&d, &t), CM_BC_SCHEDULE_PATTERN));
    }
    /* a weekend job (weekend work only, 16 hours: more than one day gives) for someone free
     * on Sundays only: Saturday is a wall (an adviser's probe: eligible at 75 %) */
    cm_window_t sundays[] = {{0x40, HM(8, 0), HM(20, 0)}};
    c.availability = sundays;
    o.work_pattern = CM_WORK_WEEKEND;
    double hours_was = o.hours_per_week;
    o.hours_per_week = 16;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(!m.eligible && b && b->hard && b->what == CM__WORK_WEEKEND && b->days == 0x20);
    ASSERT(strstr(b->detail_fr, "Poste du week-end (16 h par semaine) : la personne n'est jamais "
                                "disponible le samedi"));
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 0, 0);
    o.hours_per_week = 8; /* a day's work: which day is to check */
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(m.eligible && b && !b->hard);
    o.hours_per_week = hours_was;
    c.availability = sun_thu;
    o.work_pattern = CM_WORK_NIGHT | CM_WORK_WEEKEND;
    cm_window_t mon_fri[] = {{DAYS_WEEK, HM(20, 0), HM(7, 0)}}; /* neither day: hard */
    c.availability = mon_fri;
    m = pair(&c, &o);
    ASSERT(!m.eligible && find_code(&m, CM_BC_SCHEDULE_PATTERN)->hard);
    c.availability = nightly;
    o.work_pattern = CM_WORK_NIGHT;
    /* a rota ("jour/nuit en alternance") for someone available at night only: its day shifts
     * are outside her availability (it was eligible at 95, just below the pure night job) */
    o.work_pattern = CM_WORK_NIGHT | CM_WORK_SHIFTS;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(!m.eligible && b && b->what == CM__WORK_DAY);
    /* said as the rota it is (an adviser's probe: "Travail de jour annoncé" misquoted it) */
    ASSERT(strstr(b->detail_fr, "Roulement jour/nuit annoncé par l'offre : ses postes de jour"));
    ASSERT(strstr(b->detail, "day/night rota"));
    c.availability = all; /* available round the clock: the rota asks nothing she lacks */
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_PATTERN));

    /* An adviser's probe: a quarter of the hours outside her day (12:00-20:00 against her
     * 08:00-18:00) ranked first with no word: eligible, said, to check */
    cm_window_t office[] = {{DAYS_WEEK, HM(8, 0), HM(18, 0)}};
    cm_window_t noon_eight[] = {{DAYS_WEEK, HM(12, 0), HM(20, 0)}};
    c.availability = office;
    o.work_pattern = 0;
    o.schedule = noon_eight;
    o.n_schedule = 1;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(m.eligible && b && !b->hard && b->coverage == 75);
    ASSERT(strstr(b->detail_fr, "Seulement 75 % des heures") &&
           strstr(b->detail_fr, "à vérifier avec la personne"));
    /* which hours (an adviser's probe: the sentence did not say) */
    ASSERT(strstr(b->detail_fr, "le jeudi et le vendredi (18:00-20:00)"));
    ASSERT(strstr(b->detail, "fri, 18:00-20:00"));
    cm_window_t office_split[] = {{DAYS_WEEK, HM(8, 0), HM(12, 0)},
                                  {DAYS_WEEK, HM(14, 0), HM(20, 0)}};
    c.availability = office_split; /* outside at noon, the same every day */
    c.n_availability = 2;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b && strstr(b->detail_fr, "(12:00-14:00)"));
    cm_window_t monday_short[] = {{1, HM(8, 0), HM(18, 0)}, {0x1e, HM(8, 0), HM(19, 0)}};
    c.availability = monday_short; /* not the same every day: no hours named */
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b && strstr(b->detail_fr, "le vendredi") && !strstr(b->detail_fr, "vendredi ("));
    c.availability = office;
    c.n_availability = 1;
    cm_window_t noon_six[] = {{DAYS_WEEK, HM(10, 0), HM(18, 0)}};
    o.schedule = noon_six; /* all inside: nothing said */
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_COVERAGE));
    /* no hours given, 35 a week, against her weekends' 29 (a weekends-only student was a
     * clean match): said; 35 against 14 hours a week: not to be had */
    cm_window_t weekends[] = {{0x60, HM(6, 30), HM(21, 0)}};
    c.availability = weekends;
    o.schedule = NULL;
    o.n_schedule = 0;
    o.work_pattern = CM_WORK_WEEKEND;
    o.hours_per_week = 35;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b && !b->hard && b->coverage == 83 && m.explain[CM_F_SCHEDULE] < 0.9);
    ASSERT(strstr(b->detail_fr, "font 29 h par semaine, pour un poste de 35 h : à vérifier"));
    cm_window_t sat_am[] = {{0x60, HM(8, 0), HM(15, 0)}};
    c.availability = sat_am;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b && b->hard && !m.eligible);
    o.hours_per_week = 0;
    c.availability = all;

    /* A rota without nights (2x8) or split shifts, no hours given, for a solo parent free in
     * school hours (adviser probe: eligible at 93 with no barrier) */
    cm_window_t school[] = {{DAYS_WEEK, HM(8, 30), HM(16, 30)}};
    c.availability = school;
    c.has_childcare = true;
    c.children_under_12 = 2;
    c.solo_parent = true;
    o.work_pattern = CM_WORK_SHIFTS;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(!m.eligible && b && b->what == CM__WORK_SHIFTS && b->levers == CM_LEVER_CHILDCARE_AID);
    ASSERT(strstr(b->detail_fr, "horaires alternés"));
    b = find_code(&m, CM_BC_CHILDCARE_HOURS);
    ASSERT(b && (b->what & 3u) == 3u); /* early and evening named */
    o.work_pattern = CM_WORK_SPLIT;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(!m.eligible && b && b->what == CM__WORK_SPLIT);
    ASSERT(strstr(b->detail_fr, "horaires coupés"));
    /* a rota asks mornings and evenings: free from 07:00 to 15:00 only, or from 12:00 to
     * 20:00 only, she cannot take its other half (second adviser probe: no barrier); free
     * 07:00-19:00 (12-hour days), or early some days and late others, she can */
    cm_window_t from7[] = {{DAYS_WEEK, HM(7, 0), HM(15, 0)}};
    cm_window_t to20[] = {{DAYS_WEEK, HM(12, 0), HM(20, 0)}};
    cm_window_t long_days[] = {{DAYS_WEEK, HM(7, 0), HM(19, 0)}};
    cm_window_t halves[] = {{1u << 0 | 1u << 1 | 1u << 2, HM(6, 0), HM(14, 0)},
                            {1u << 3 | 1u << 4, HM(13, 0), HM(21, 0)}};
    c.availability = from7;
    o.work_pattern = CM_WORK_SHIFTS;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(!m.eligible && b && b->what == CM__WORK_SHIFTS);
    ASSERT(strstr(b->detail_fr, "ses heures du soir (après 17:00)")); /* the half she lacks */
    c.availability = to20;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(b && strstr(b->detail, "its early hours (before 10:00)"));
    c.availability = long_days;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_PATTERN));
    c.availability = halves;
    c.n_availability = 2;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_PATTERN));
    c.n_availability = 1;
    /* the evening round of split shifts asks only the evening */
    c.availability = to20;
    o.work_pattern = CM_WORK_SPLIT;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_PATTERN));
    /* a split whose windows are given is its windows: 09-12 and 13-16 inside 08:30-16:30 ask
     * nothing more (second probe: a hard barrier, schedule factor 0) */
    cm_window_t school2[] = {{DAYS_WEEK, HM(8, 30), HM(16, 30)}};
    cm_window_t split2[] = {{DAYS_WEEK, HM(9, 0), HM(12, 0)}, {DAYS_WEEK, HM(13, 0), HM(16, 0)}};
    c.availability = school2;
    o.schedule = split2;
    o.n_schedule = 2;
    cm_match_t ms = pair(&c, &o);
    ASSERT(!has_code(ms, CM_BC_SCHEDULE_PATTERN) && ms.explain[CM_F_SCHEDULE] == 1.0);
    o.schedule = NULL;
    o.n_schedule = 0;
    /* hours that show the rota's ends: coverage decides, not the label */
    c.availability = school;
    cm_window_t early7[] = {{DAYS_WEEK, HM(6, 30), HM(14, 0)}};
    o.schedule = early7;
    o.n_schedule = 1;
    o.work_pattern = CM_WORK_SHIFTS;
    m = pair(&c, &o);
    ASSERT(!m.eligible && !has_code(m, CM_BC_SCHEDULE_PATTERN));
}

/* A solo parent's day holds her journeys: a 09:00-14:00 job inside her 08:30-16:30, an hour
 * away by bus, has her leave at 08:00, before school opens (adviser probe: eligible, no
 * barrier). Whole half-hours of the journey count: next door, nothing moves. */
static void test_solo_parent_journey(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_window_t school[] = {{DAYS_WEEK, HM(8, 30), HM(16, 30)}};
    cm_window_t job[] = {{DAYS_WEEK, HM(9, 0), HM(14, 0)}};
    c.availability = school;
    c.n_availability = 1;
    c.max_minutes = 90;
    c.has_childcare = true;
    c.children_under_12 = 2;
    c.solo_parent = true;
    cm_offer_t o = mk_offer("o1", "K1311", geo_east(48.8566, 2.3522, 12));
    o.schedule = job;
    o.n_schedule = 1;
    cm_match_t m = pair(&c, &o);
    int trip = (int)m.commute_minutes, slots = (trip + 29) / 30;
    ASSERT(trip > 30 && trip <= 90); /* about an hour by bus for 12 km */
    const cm_barrier_t *b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    (void)slots;
    /* she leaves at 09:00 minus her journey, care opens at 08:30: told in minutes */
    ASSERT(!m.eligible && b && b->minutes == trip - 30 && b->limit == trip &&
           b->levers == CM_LEVER_CHILDCARE_AID);
    char want[64];
    snprintf(want, sizeof want, "trajet de %d min compris", trip);
    ASSERT(strstr(b->detail_fr, "Départ pour le poste jusqu'à") && strstr(b->detail_fr, want));
    ASSERT(find_code(&m, CM_BC_SCHEDULE_ENDS_LATE) == NULL); /* back by 16:00 at the latest */
    /* 50 minutes to a 09:00 start is leaving before 08:30 too (it was rounded down: none),
     * a few minutes before it is not (it was rounded up: 34 minutes, "up to 30 min before",
     * ineligible; the evaluation set judges that job a good match) */
    int seen_close = 0, seen_far = 0;
    for (int km = 4; km <= 12; km++) {
        o.loc = geo_east(48.8566, 2.3522, km);
        m = pair(&c, &o);
        int t = (int)m.commute_minutes;
        b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
        if (t <= 30 + 10) {
            ASSERT(b == NULL);
            seen_close += t > 30;
        } else {
            ASSERT(b && b->minutes == t - 30);
            seen_far++;
        }
    }
    ASSERT(seen_close > 0 && seen_far > 0);
    /* the same job next door: no journey to count */
    o.loc = paris;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_STARTS_EARLY));
    /* a journey past her limit is the commute's barrier; her day counts no more of it than
     * she would take (an adviser's probe: a 270-minute walk asked for five hours of care) */
    c.max_minutes = 45;
    c.modes = CM_MODE_WALK;
    o.loc = geo_east(48.8566, 2.3522, 12);
    m = pair(&c, &o);
    ASSERT(m.commute_minutes > 120 && has_code(m, CM_BC_COMMUTE_TOO_LONG));
    b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    ASSERT(b && b->limit == 49 && b->minutes == 49 - 30); /* her limit and its grace */
    /* said as such, not a second trip time (an adviser's probe: 56 min above, 49 here) */
    ASSERT(strstr(b->detail_fr, "trajet compté 49 min (sa limite et sa marge)"));
    c.max_minutes = 90;
    c.modes = CM_MODE_TRANSIT | CM_MODE_WALK;
    /* not a solo parent: her journey is her own business */
    o.loc = geo_east(48.8566, 2.3522, 12);
    c.solo_parent = false;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SCHEDULE_STARTS_EARLY));
}

/* Availability given to the minute counts to the nearest half-hour: free 08:29-15:31, a solo
 * parent cannot take 08:00-16:00 (outside probe: each half-hour she gave a minute of counted
 * as hers: eligible, schedule 1.0, no barrier); free 08:15-16:45, a job written the same way
 * fits it. */
static void test_availability_to_the_minute(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1303", paris);
    cm_window_t job[] = {{1u << 0, HM(8, 0), HM(16, 0)}};
    cm_window_t nearly[] = {{1u << 0, HM(8, 29), HM(15, 31)}};
    o.schedule = job;
    o.n_schedule = 1;
    c.availability = nearly;
    c.n_availability = 1;
    c.has_childcare = true;
    c.children_under_12 = 2;
    c.solo_parent = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible && has_code(m, CM_BC_SCHEDULE_STARTS_EARLY));
    ASSERT(m.explain[CM_F_SCHEDULE] > 0.87 && m.explain[CM_F_SCHEDULE] < 0.88); /* 14 of 16 */
    cm_window_t quarter[] = {{1u << 0, HM(8, 15), HM(16, 45)}};
    cm_window_t job_q[] = {{1u << 0, HM(8, 15), HM(16, 45)}};
    c.availability = quarter;
    o.schedule = job_q;
    m = pair(&c, &o);
    ASSERT(m.eligible && m.explain[CM_F_SCHEDULE] == 1.0);
    /* 08:00-16:00 against 08:15-16:45: inside it to the half-hour, but she leaves before
     * care opens (one window a day each side: counted to the minute) */
    o.schedule = job;
    m = pair(&c, &o);
    const cm_barrier_t *b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    ASSERT(!m.eligible && b && b->minutes == 15 + (int)m.commute_minutes);
    ASSERT(!has_code(m, CM_BC_SCHEDULE_ENDS_LATE));
}

/* School hours 08:45-16:15 against a job's fixed hours, to the minute (an adviser's probe: the
 * half-hours made her day 08:30-16:30, and an 08:30 start with 8 minutes of journey, or a
 * 16:30 end, was eligible without a word). */
static void test_school_hours_to_the_minute(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_window_t school[] = {{DAYS_WEEK, HM(8, 45), HM(16, 15)}};
    c.availability = school;
    c.n_availability = 1;
    c.has_childcare = true;
    c.children_under_12 = 2;
    c.solo_parent = true;
    cm_offer_t o = mk_offer("o1", "K1304", geo_east(48.8566, 2.3522, 2.0));
    cm_window_t early[] = {{DAYS_WEEK, HM(8, 30), HM(14, 30)}};
    cm_window_t late[] = {{DAYS_WEEK, HM(10, 30), HM(16, 30)}};
    cm_window_t inside[] = {{DAYS_WEEK, HM(9, 0), HM(16, 0)}};
    o.n_schedule = 1;
    o.schedule = early;
    cm_match_t m = pair(&c, &o);
    int trip = (int)m.commute_minutes;
    const cm_barrier_t *b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    ASSERT(trip > 5 && trip < 15); /* by the metro */
    ASSERT(!m.eligible && b && b->minutes == 15 + trip && b->days == DAYS_WEEK);
    o.schedule = late;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_ENDS_LATE);
    ASSERT(!m.eligible && b && b->minutes == 15 + trip &&
           !has_code(m, CM_BC_SCHEDULE_STARTS_EARLY));
    o.schedule = inside; /* leaves 08:5x, back 16:0x */
    m = pair(&c, &o);
    ASSERT(m.eligible && !has_code(m, CM_BC_SCHEDULE_STARTS_EARLY) &&
           !has_code(m, CM_BC_SCHEDULE_ENDS_LATE));
    /* several windows a day: the week's half-hours, as before */
    cm_window_t split[] = {{DAYS_WEEK, HM(9, 0), HM(12, 0)}, {DAYS_WEEK, HM(13, 0), HM(16, 0)}};
    o.schedule = split;
    o.n_schedule = 2;
    ASSERT(pair(&c, &o).eligible);
}

/* An offer that gives its windows but no weekly hours weighs their hours (an adviser's probe:
 * a 40-hour week ranked first, eligible, for a firm 24-hour maximum). */
static void test_hours_from_windows(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    cm_window_t week[] = {{DAYS_WEEK, HM(8, 0), HM(16, 0)}}; /* 40 hours */
    o.schedule = week;
    o.n_schedule = 1;
    o.hours_per_week = 0;
    c.hours_min = 0;
    c.hours_max = 24;
    c.strict = CM_STRICT_HOURS;
    cm_match_t m = pair(&c, &o);
    const cm_barrier_t *b = find_code(&m, CM_BC_HOURS_OVER);
    ASSERT(!m.eligible && b && b->hard && b->hours == 16);
    c.hours_max = 40;
    ASSERT(pair(&c, &o).eligible);
    /* no hours at all, and hers firm: a note to check, not a perfect fit (an adviser's probe) */
    o.schedule = NULL;
    o.n_schedule = 0;
    c.hours_min = 20;
    c.hours_max = 24;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_HOURS_OVER);
    ASSERT(m.eligible && b && !b->hard && b->what == CM_HOURS_UNSTATED);
    ASSERT(strstr(b->detail_fr, "L'offre ne précise pas ses heures par semaine ; la personne en "
                                "veut 20 à 24 (exigence ferme) : à vérifier."));
    ASSERT(m.explain[CM_F_CONTRACT] < 1.0);
    c.strict = 0; /* not firm: nothing said */
    ASSERT(!has_code(pair(&c, &o), CM_BC_HOURS_OVER));
}

/* An offer that says nothing of its hours, for a solo parent on school hours: not a clean
 * match (an adviser's probe: home care with no hours, eligible at 93 with no word) but a note
 * to check with the employer, and the schedule's factor below an offer whose hours fit. */
static void test_hours_unstated_for_a_parent(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t none = mk_offer("o1", "K1311", paris);
    cm_window_t school[] = {{DAYS_WEEK, HM(9, 0), HM(16, 0)}};
    c.availability = school;
    c.n_availability = 1;
    c.has_childcare = true;
    c.children_under_12 = 3;
    c.solo_parent = true;
    none.hours_per_week = 24;
    cm_match_t m = pair(&c, &none);
    const cm_barrier_t *b = find_code(&m, CM_BC_CHILDCARE_HOURS);
    ASSERT(m.eligible && b && !b->hard && b->what == CM_CARE_UNSTATED);
    ASSERT_EQ(b->levers, CM_LEVER_CHILDCARE_AID);
    ASSERT(strstr(b->detail_fr, "L'offre ne dit rien de ses horaires ; 3 enfants de moins de 12 "
                                "ans, parent seul, disponible lun.-ven. 09:00-16:00 : à vérifier "
                                "avec l'employeur (aide à la garde d'enfants possible"));
    cm_offer_t fits = none;
    cm_window_t day[] = {{DAYS_WEEK, HM(9, 30), HM(14, 30)}};
    fits.schedule = day;
    fits.n_schedule = 1;
    cm_match_t f = pair(&c, &fits);
    ASSERT(f.eligible && !has_code(f, CM_BC_CHILDCARE_HOURS));
    ASSERT(f.score > m.score);
    /* a pattern said is the pattern's note; a parent free early and late has no doubt; nor
     * has someone without children */
    none.work_pattern = CM_WORK_DAY;
    ASSERT(!has_code(pair(&c, &none), CM_BC_CHILDCARE_HOURS));
    none.work_pattern = 0;
    cm_window_t wide[] = {{0x7f, HM(6, 0), HM(22, 0)}};
    c.availability = wide;
    ASSERT(!has_code(pair(&c, &none), CM_BC_CHILDCARE_HOURS));
    c.availability = school;
    c.children_under_12 = 0;
    c.has_childcare = false;
    ASSERT(!has_code(pair(&c, &none), CM_BC_CHILDCARE_HOURS));
}

int main(void)
{
    cfg_defaults(&cfg);
    test_hours_from_windows();
    test_pattern_beside_hours();
    test_solo_parent_journey();
    test_availability_to_the_minute();
    test_school_hours_to_the_minute();
    test_hours_unstated_for_a_parent();
    printf("test_score_hours: ok\n");
    return 0;
}
