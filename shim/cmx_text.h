// cmx_text.h: French words as documents and queries both see them (internal to the shim).
// One tokenizer, one fold, one stemmer for indexing, plain-word queries, operator queries
// (QueryParser) and the engine's text signatures: a word indexed one way and looked up
// another would silently find nothing.
#ifndef CMX_TEXT_H
#define CMX_TEXT_H

#include <xapian.h>

#include <cstddef>
#include <string>

namespace cmx_text
{

// Accents folded (Latin-1 supplement, oe/ae ligatures), apostrophes (' and U+2019) and NUL
// bytes made spaces. Byte lengths may change: use it on whole texts, never for offsets.
std::string fold_french(const char *s, size_t len);

// The stemmer: fold, lower-case, French feminine and plural endings made masculine singular
// ("infirmière", "diplômée", "coiffeuse", "animatrice" -> "infirmier", "diplome", "coiffeur",
// "animateur"), then Xapian's French Snowball stemmer. Per thread (Stem is not thread-safe).
const Xapian::Stem &french_stemmer();
const Xapian::Stopper *french_stopper();

// The stem of one word (any case, accents or not), through a per-thread cache.
const std::string &stem(const std::string &word);
bool is_stopword(const std::string &folded_lower);

// Each word of raw UTF-8 text: fn(offset, length) in the raw bytes, then its folded
// lower-case form. Words: runs of ASCII letters and digits and non-ASCII letters; dotted
// acronyms ("E.H.P.A.D.") are one word. Words over CMX_TERM_MAX - 1 bytes (no term can
// hold them) are skipped, unless long_words (a query's words: one that no document can have
// still counts). fn returns non-zero to stop; that value is returned.
typedef int (*word_fn)(void *arg, size_t off, size_t len, const std::string &folded);
int each_word(const char *text, size_t len, word_fn fn, void *arg, bool long_words = false);

// A query's text made safe for Xapian 1.4's QueryParser (cmx_query_parse): every "NEAR" and
// "ADJ" lower-cased (the parser leaks on them after a "-term"; see the definition).
void disarm_proximity(std::string &q);
// A text of hated terms alone ("-nuit -soir"): true, and q without their leading '-' (the
// caller takes them away from every document; the parser alone reads them as the terms).
bool strip_lone_hates(std::string &q);

} // namespace cmx_text

#endif
