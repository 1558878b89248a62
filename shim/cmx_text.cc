// cmx_text: French words for the index and the queries (cmx_text.h), and the C entry points
// cmx_text_stems, cmx_text_tokens and cmx_stem.
#include "cmx_text.h"

#include "cmx.h"
#include "cmx_internal.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>
#include <unordered_set>
#include <vector>

static int set_error_text(char **errptr, int code, const char *msg)
{
    if (errptr) {
        free(*errptr);
        *errptr = strdup(msg);
    }
    return code;
}

namespace cmx_text {

namespace {

const char *const french_stopwords[] = {
    "a",    "au",   "aux",  "avec", "ce",   "ces", "c",    "d",    "dans", "de",  "des",
    "du",   "elle", "en",   "est",  "et",   "eux", "f",    "h",    "il",   "j",   "je",
    "l",    "la",   "le",   "les",  "leur", "lui", "m",    "ma",   "mais", "me",  "meme",
    "mes",  "moi",  "mon",  "n",    "ne",   "nos", "notre", "nous", "on",  "ou",  "par",
    "pas",  "pour", "qu",   "que",  "qui",  "s",   "sa",   "se",   "ses",  "son", "sur",
    "t",    "ta",   "te",   "tes",  "toi",  "ton", "tu",   "un",   "une",  "vos", "votre",
    "vous", "y"};

// Latin-1 supplement (U+00C0..U+00FF, UTF-8 C3 80..C3 BF) folded to ASCII; NULL = keep.
const char *const fold_c3[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E",  "E", "E", "I",  "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O",  NULL, "O", "U", "U", "U", "U", "Y", NULL, "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e",  "e", "e", "i",  "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", NULL, "y"};

bool ends_with(const std::string &w, const char *suffix)
{
    size_t n = strlen(suffix);
    return w.size() >= n && w.compare(w.size() - n, n, suffix) == 0;
}

// Feminine and plural endings of French job nouns and participles, on a folded lower-case
// word, made masculine singular before Snowball: the Snowball French stemmer works on
// accented words, and once accents are folded it stems "infirmiere" and "infirmier",
// "diplomee" and "diplome" apart. The rules are applied the same way to documents and
// queries, so a rule too broad ("mere" -> "mer") merges two words, never loses one.
std::string masculine(std::string w)
{
    static const struct {
        const char *from, *to;
    } rules[] = {
        {"ieres", "ier"}, {"iere", "ier"},    {"eres", "er"},    {"ere", "er"},
        {"euses", "eur"}, {"euse", "eur"},    {"eurs", "eur"},   {"eux", "eur"},
        {"trices", "teur"}, {"trice", "teur"}, {"ennes", "en"},  {"enne", "en"},
        {"elles", "el"},  {"elle", "el"},     {"ees", "e"},      {"ee", "e"},
    };
    if (w.size() <= 4)
        return w;
    for (const auto &r : rules) {
        size_t n = strlen(r.from);
        if (ends_with(w, r.from) && w.size() - n >= 2) {
            w.replace(w.size() - n, n, r.to);
            break;
        }
    }
    return w;
}

// Words never stemmed (cmx_text_keep): set once, before any stemming, then read-only.
const std::unordered_set<std::string> *keep_words;

class french_care_stem : public Xapian::StemImplementation {
    Xapian::Stem snowball{"french"};

  public:
    std::string operator()(const std::string &word) override
    {
        std::string f = fold_french(word.data(), word.size());
        f = Xapian::Unicode::tolower(f);
        if (keep_words && keep_words->count(f))
            return f;
        return snowball(masculine(f));
    }
    std::string get_description() const override
    {
        return "french_care";
    }
};

// Words kept in each thread's stem cache before it is cleared: the vocabulary of care offers
// is small, and a cleared cache costs one stem per word again. Every thread that analyses text
// has its own cache (64 writers' threads, the readers' workers, the index writer...), so it
// is small: 4,096 words, about 0.5 MB. At 200,000 (until 2026-12) a stream of words seen once
// grew each thread's to 20 MB: a server taking PUTs with such words gained 110 bytes of heap
// a write, up to 1.4 GB. Words with a digit (numbers, references, times) are not cached:
// they seldom come again.
#define STEM_CACHE_MAX 4096

// Bytes of the UTF-8 punctuation at s[i] that separates words like ASCII punctuation does:
// U+00A0..U+00BF (NBSP, guillemets, degree...) and U+2000..U+207F (dashes, quotes, ellipsis);
// 0 when s[i] starts something else.
inline size_t utf8_punct(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
    return c == 0xC2 && d >= 0xA0 ? 2 : c == 0xE2 && (d == 0x80 || d == 0x81) ? 3 : 0;
}

// A byte of a word: ASCII letters and digits, and any other non-ASCII byte (letters).
inline bool word_byte(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80)
        return utf8_punct(s, n, i) == 0;
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A dotted acronym at s[i] ("E.H.P.A.D." or "E.H.P.A.D"): its end, or i when there is none.
size_t dotted_acronym(const char *s, size_t n, size_t i)
{
    size_t j = i, letters = 0;
    while (j + 1 < n && ascii_letter((unsigned char)s[j]) && s[j + 1] == '.') {
        letters++;
        j += 2;
    }
    if (letters >= 1 && j < n && ascii_letter((unsigned char)s[j]) &&
        (j + 1 >= n || !word_byte(s, n, j + 1))) {
        letters++; // the last letter, without its dot
        j++;
    }
    return letters >= 2 ? j : i;
}

} // namespace

std::string fold_french(const char *s, size_t len)
{
    std::string out;
    out.reserve(len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            const char *f = fold_c3[(unsigned char)s[i + 1] - 0x80];
            if (f) {
                out += f;
            } else {
                out.append(s + i, 2);
            }
            i++;
        } else if (c == 0xC5 && i + 1 < len &&
                   ((unsigned char)s[i + 1] == 0x92 || (unsigned char)s[i + 1] == 0x93)) {
            out += (unsigned char)s[i + 1] == 0x92 ? "OE" : "oe";
            i++;
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
            out += ' ';
            i += 2;
        } else if (c == '\'' || c == 0) {
            out += ' ';
        } else {
            out += (char)c;
        }
    }
    return out;
}

const Xapian::Stem &french_stemmer()
{
    static thread_local Xapian::Stem stem(new french_care_stem);
    return stem;
}

const Xapian::Stopper *french_stopper()
{
    static thread_local Xapian::SimpleStopper stop(std::begin(french_stopwords),
                                                   std::end(french_stopwords));
    return &stop;
}

bool is_stopword(const std::string &folded_lower)
{
    return (*french_stopper())(folded_lower);
}

static thread_local std::unordered_map<std::string, std::string> stem_cache;

// The stem of a folded word; the reference is valid until this thread's next call.
const std::string &stem(const std::string &word)
{
    auto &cache = stem_cache;
    static thread_local std::string uncached;
    if (word.find_first_of("0123456789") != std::string::npos) {
        uncached = french_stemmer()(word);
        return uncached;
    }
    auto it = cache.find(word);
    if (it == cache.end()) {
        if (cache.size() >= STEM_CACHE_MAX)
            cache.clear();
        it = cache.emplace(word, french_stemmer()(word)).first;
    }
    return it->second;
}

int each_word(const char *s, size_t n, word_fn fn, void *arg, bool long_words)
{
    size_t i = 0;
    std::string folded;
    while (i < n) {
        if (!word_byte(s, n, i)) {
            size_t p = utf8_punct(s, n, i);
            i += p ? p : 1;
            continue;
        }
        size_t start = i, end = dotted_acronym(s, n, i);
        if (end > start) {
            folded.clear();
            for (size_t k = start; k < end; k++)
                if (s[k] != '.')
                    folded += (char)(s[k] | 0x20);
        } else {
            bool ascii = true;
            for (; end < n && word_byte(s, n, end); end++)
                if ((unsigned char)s[end] >= 0x80)
                    ascii = false;
            if (ascii) { // the common case: no allocation (folded keeps its capacity)
                folded.assign(s + start, end - start);
                for (char &ch : folded)
                    if (ch >= 'A' && ch <= 'Z')
                        ch = (char)(ch | 0x20);
            } else {
                folded = Xapian::Unicode::tolower(fold_french(s + start, end - start));
            }
        }
        i = end;
        if (folded.size() > CMX_TERM_MAX - 1 && !long_words)
            continue; // room for the "Z" prefix
        int rc = fn(arg, start, end - start, folded);
        if (rc != 0)
            return rc;
    }
    return 0;
}

// Xapian 1.4.22's QueryParser leaks a Term (96 bytes) per parse of a NEAR or ADJ operator that
// follows a "-term" ("-a NEAR b"; found by tests/fuzz/fuzz_search): a remote client could grow
// the server's memory at will. Proximity operators mean nothing for French job search, so every
// "NEAR" and "ADJ" is lowercased, wherever it stands: the parser lowercases terms and we stem
// all of them (STEM_ALL_Z), so the search is the same minus the operators.
void disarm_proximity(std::string &q)
{
    for (size_t i = 0; i < q.size(); i++) {
        size_t n = q.compare(i, 4, "NEAR") == 0 ? 4 : q.compare(i, 3, "ADJ") == 0 ? 3 : 0;
        for (size_t k = i; k < i + n; k++)
            q[k] = (char)tolower((unsigned char)q[k]);
    }
}

// Xapian 1.4's QueryParser reads a text of hated terms alone ("-nuit", "-nuit -soir") as the
// terms themselves: with nothing to hate them from, "-nuit" found the night offers. Such a
// text means "without these": true, and q rewritten without its leading '-', when every word
// or phrase outside quotes starts with one (the caller then takes them away from every
// document). AND and OR between or around them join nothing and are dropped ("OR -melange"
// found the offers with "melange", "-melange OR" none: a helper's probe). Anything else
// ("soin -nuit", "(-nuit)", "NOT nuit") is left to the parser.
bool strip_lone_hates(std::string &q)
{
    std::string out;
    bool any = false;
    size_t i = 0, n = q.size();
    auto space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
    while (i < n) {
        while (i < n && space(q[i]))
            i++;
        if (i == n)
            break;
        size_t b = i;
        bool quoted = false;
        while (i < n && (quoted || !space(q[i]))) {
            if (q[i] == '"')
                quoted = !quoted;
            i++;
        }
        std::string w = q.substr(b, i - b);
        if (w == "AND" || w == "OR")
            continue;
        if (w[0] != '-')
            return false;
        any = true;
        if (!out.empty())
            out += ' ';
        out += w.substr(1);
    }
    if (any)
        q = out;
    return any;
}

} // namespace cmx_text

/* ---- C entry points ---- */
namespace {
struct stems_ctx {
    cmx_term_fn fn;
    void *arg;
};
int stems_visit(void *arg, size_t, size_t, const std::string &folded)
{
    auto *c = static_cast<stems_ctx *>(arg);
    const std::string &st = cmx_text::stem(folded);
    return c->fn(c->arg, st.data(), st.size());
}

struct tokens_ctx {
    cmx_token_fn fn;
    void *arg;
};
int tokens_visit(void *arg, size_t off, size_t len, const std::string &folded)
{
    auto *c = static_cast<tokens_ctx *>(arg);
    if (folded.size() > CMX_TERM_MAX - 1) { // no document has it: unstemmed, uncached
        cmx_token_t t = {off, len, folded.c_str(), folded.size(), false};
        return c->fn(c->arg, &t);
    }
    const std::string &st = cmx_text::stem(folded);
    cmx_token_t t = {off, len, st.c_str(), st.size(), cmx_text::is_stopword(folded)};
    return c->fn(c->arg, &t);
}
// The first letters a word must have to stem to one of a snippet's stems (at most 2 each).
struct among_ctx {
    tokens_ctx base;
    std::vector<std::string> heads;
};
bool may_stem_to(const among_ctx &c, const std::string &folded)
{
    for (const std::string &h : c.heads)
        if (folded.compare(0, h.size(), h) == 0)
            return true;
    return false;
}
int among_visit(void *arg, size_t off, size_t len, const std::string &folded)
{
    auto *c = static_cast<among_ctx *>(arg);
    if (!may_stem_to(*c, folded)) {
        cmx_token_t t = {off, len, "", 0, false};
        return c->base.fn(c->base.arg, &t);
    }
    return tokens_visit(&c->base, off, len, folded);
}
} // namespace

extern "C" {

size_t cmx_text_stem_cache_size(void)
{
    return cmx_text::stem_cache.size();
}

int cmx_text_stems(const char *text, size_t len, cmx_term_fn fn, void *arg, char **errptr)
{
    try {
        if (!text || len == 0)
            return CMX_OK;
        stems_ctx c = {fn, arg};
        return cmx_text::each_word(text, len, stems_visit, &c);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_text_tokens_among(const char *text, size_t len, const char *const *stems,
                          const size_t *lens, size_t n, cmx_token_fn fn, void *arg, char **errptr)
{
    try {
        if (!text || len == 0)
            return CMX_OK;
        among_ctx c = {{fn, arg}, {}};
        for (size_t i = 0; i < n; i++)
            if (lens[i] > 0)
                c.heads.emplace_back(stems[i], lens[i] < 2 ? lens[i] : 2);
        return cmx_text::each_word(text, len, among_visit, &c, true);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_text_keep(const char *const *words, size_t n, char **errptr)
{
    try {
        if (cmx_text::keep_words)
            return set_error_text(errptr, CMX_EINVAL, "the kept words are already set");
        auto *set = new std::unordered_set<std::string>;
        for (size_t i = 0; i < n; i++)
            set->insert(Xapian::Unicode::tolower(cmx_text::fold_french(words[i], strlen(words[i]))));
        cmx_text::keep_words = set; // lives as long as the process
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_text_tokens(const char *text, size_t len, cmx_token_fn fn, void *arg, char **errptr)
{
    try {
        if (!text || len == 0)
            return CMX_OK;
        tokens_ctx c = {fn, arg};
        return cmx_text::each_word(text, len, tokens_visit, &c, true);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

} // extern "C"
