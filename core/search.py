"""One text search for the whole site: the product list, routes, the programme
pages, the API ``q=`` filters and /search/ all go through ``filter_queryset``.

Each searchable row stores two derived columns (``Searchable``):

* ``search_name``: its name in every language, normalised, plus the pinyin of
  its Chinese name (full spelling and initials, from every syllable on, so
  ``banli`` and ``bl`` find 怀柔板栗) and the name's Chinese bigrams;
* ``search_text``: the same followed by the body (summary, description and
  whatever context the model adds, e.g. a product's producer and village).

Normalising (``normalise``) is NFKC, lower case, Traditional → Simplified
(OpenCC ``t2s``), punctuation to spaces and a space between Chinese and other
characters; it is applied to the stored text and to the query alike, so a
Traditional query finds Simplified content and the other way round.

Without a word segmenter, Chinese is matched by character bigrams: a run of
Chinese characters in the query matches when every overlapping bigram of it is
one of the row's bigrams (stored as space-separated tokens, which lets
PostgreSQL's trigram index answer; see the migrations named ``*_search_text``).
A single Chinese character is matched anywhere. Any other word of the query
(English, pinyin, digits) must begin a word of the row. Every word of the query
must match (AND). Rows are ranked: the query is one of the names exactly (3),
every word is found in the name (2), found elsewhere (1).

A word misspelt by one letter is forgiven, the same on SQLite and PostgreSQL
(SQLite has no trigram similarity, so none is used): when a query with a
*fuzzable* word (letters only, pinyin or English, at least ``MIN_FUZZY_LENGTH``)
finds nothing (one ``exists()``), each such word that begins no word of the
site's *vocabulary* is replaced by its ``candidates``: strings at
Damerau–Levenshtein distance 1 (a letter inserted, deleted, substituted, two
neighbours swapped) that are a word of the vocabulary or begin one, as words
match by their start (``tangeh`` → ``tanghe``, the start of ``tanghehongshu``;
``chesnut`` → ``chestnut``; ``banlli`` → ``banli``). Of the best kind only
(whole words before beginnings; a substitution or swap, then an insertion, then
a deletion), most frequent first, at most ``MAX_CANDIDATES``, any of which may
match (OR). The same filter then runs with them; its rows carry
``search_corrected`` (the corrected text, for "Showing results for «tanghe»").
Corrected hits are never mixed with exact ones: the correction runs only when
the query as typed found nothing. Chinese runs, words with digits and shorter
words are never corrected, nor is a word that begins a word of the site
(``pastr`` is the start of ``pastry``), and a word two edits away finds nothing.

The vocabulary (``vocabulary``) is every non-Chinese word of every searchable
row's ``search_text`` with the number of rows it is in, built in Python (so
identical on both databases), sorted for bisection, cached in the Django cache
(and in the process) under the version of the ``search-vocabulary`` counter
(``core.cache.DERIVED``), which ``Searchable.save()`` bumps on commit when a
row's columns change and ``reindex`` bumps too: a new product name can be
corrected to as soon as it is saved. It is read only on the zero-hit path; built,
it costs one query a searchable model.
"""

import itertools
import logging
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When

# Longer queries are refused by the forms (a 400 in the API, a message on /search/).
MAX_QUERY_LENGTH = 100
# At most this many conditions (words and bigrams) are put in one query.
MAX_TERMS = 12
# Pinyin suffixes are stored for Chinese names up to this many characters.
MAX_PINYIN_RUN = 16
# A word of the query of letters only (pinyin, English) at least this long that
# begins no word of the site is corrected (``Query.correction``); so is nothing shorter.
MIN_FUZZY_LENGTH = 4
# At most this many corrections of one word are searched for at once (OR).
MAX_CANDIDATES = 3
# The counter (core.cache.DERIVED) the vocabulary is cached under.
VOCABULARY = "search-vocabulary"
VOCABULARY_SECONDS = 24 * 3600

logger = logging.getLogger("dh.search")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_SPLIT = re.compile(f"([{_HAN}]+)")
_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _t2s():
    import opencc  # a C extension: one converter per process

    return opencc.OpenCC("t2s")


def normalise(text: str | None) -> str:
    """NFKC, lower case, Simplified, words separated by single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    if _HAN_RUN.search(text):
        text = _t2s().convert(text)
    text = _NOT_WORD.sub(" ", text)
    return " ".join(_SPLIT.sub(r" \1 ", text).split())


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def _pinyin_forms(text: str) -> list[str]:
    """Full spelling and initials of the Chinese characters of ``text`` (what
    lies between them left out: 前门+雁栖湖 is qianmenyanqihu), from every
    syllable on, and the syllables spaced."""
    from pypinyin import Style, lazy_pinyin

    han = "".join(_HAN_RUN.findall(text))[:MAX_PINYIN_RUN]
    if not han:
        return []
    full = lazy_pinyin(han)
    initials = lazy_pinyin(han, style=Style.FIRST_LETTER)
    forms: list[str] = []
    for start in range(len(full)):
        forms.append("".join(full[start:]))
        forms.append("".join(initials[start:]))
    forms.append(" ".join(full))
    return forms


def _section(pieces: Iterable[str]) -> str:
    """``| a | b |``: pieces between bars and spaces, so a word start is
    `` word`` and a whole piece ``| piece |``."""
    kept = [p for p in pieces if p]
    return ("| " + " | ".join(kept) + " |") if kept else ""


def _bigram_tokens(pieces: Iterable[str]) -> str:
    tokens: list[str] = []
    for piece in pieces:
        for run in _HAN_RUN.findall(piece):
            tokens.extend(_bigrams(run))
    return (" " + " ".join(dict.fromkeys(tokens)) + " ") if tokens else ""


def search_document(
    names: Iterable[str | None], body: Iterable[str | None] = ()
) -> tuple[str, str]:
    """``(search_name, search_text)`` for a row with these names and body texts."""
    name_pieces = list(dict.fromkeys(n for n in map(normalise, names) if n))
    body_pieces = list(dict.fromkeys(b for b in map(normalise, body) if b))
    pinyin = list(dict.fromkeys(f for n in name_pieces for f in _pinyin_forms(n)))
    search_name = _section(name_pieces + pinyin) + _bigram_tokens(name_pieces)
    search_text = _section(name_pieces + pinyin + body_pieces) + _bigram_tokens(
        name_pieces + body_pieces
    )
    return search_name, search_text


def translated_values(obj, field: str) -> list[str]:
    """The value of ``field`` in every language modeltranslation keeps (or the
    field itself when it is not translated); works on historical models too."""
    from modeltranslation.settings import AVAILABLE_LANGUAGES
    from modeltranslation.utils import build_localized_fieldname

    columns = [build_localized_fieldname(field, lang) for lang in AVAILABLE_LANGUAGES]
    if not any(hasattr(obj, column) for column in columns):
        columns = [field]  # not a translated field
    return [str(value) for value in (getattr(obj, c, None) for c in columns) if value]


def document_for(
    obj, name_fields: Iterable[str], body_fields: Iterable[str], context: Iterable[str | None] = ()
) -> tuple[str, str]:
    names = [v for f in name_fields for v in translated_values(obj, f)]
    body = [v for f in body_fields for v in translated_values(obj, f)]
    return search_document(names, [*body, *context])


class Searchable(models.Model):
    """A row found by the site search. ``save()`` keeps the two columns in step
    with the row's own fields (derived data of the row, so no signal is
    needed); ``search_context()`` adds names of related rows, refreshed when
    the row is saved or by ``manage.py search_reindex``."""

    SEARCH_NAME_FIELDS: tuple[str, ...] = ("name",)
    SEARCH_BODY_FIELDS: tuple[str, ...] = ()
    # What search_context() reads, joined when reindexing many rows.
    SEARCH_SELECT_RELATED: tuple[str, ...] = ()

    search_name = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        sources = (*self.SEARCH_NAME_FIELDS, *self.SEARCH_BODY_FIELDS)
        before = (self.search_name, self.search_text)
        if update_fields is None:
            self.refresh_search()
        elif any(f == s or f.startswith(f"{s}_") for f in update_fields for s in sources):
            self.refresh_search()
            kwargs["update_fields"] = {*update_fields, "search_name", "search_text"}
        changed = (self.search_name, self.search_text) != before
        super().save(*args, **kwargs)
        if changed:
            # New words can be corrected to once this commits (the vocabulary's key).
            from core.cache import bump_derived

            bump_derived(VOCABULARY)

    def search_context(self) -> list[str | None]:
        return []

    def refresh_search(self) -> None:
        self.search_name, self.search_text = document_for(
            self, self.SEARCH_NAME_FIELDS, self.SEARCH_BODY_FIELDS, self.search_context()
        )


# --- Queries ---------------------------------------------------------------------


class Query:
    """A parsed query: ``text`` normalised, ``terms`` as (kind, text) where kind
    is "bigram" (a stored bigram token), "char" (one Chinese character) or
    "word" (the start of a word)."""

    def __init__(self, raw: str):
        self.text = normalise(raw[:MAX_QUERY_LENGTH])
        terms: list[tuple[str, str]] = []
        for word in self.text.split():
            if _HAN_RUN.fullmatch(word):
                if len(word) == 1:
                    terms.append(("char", word))
                else:
                    terms.extend(("bigram", b) for b in _bigrams(word))
            else:
                terms.append(("word", word))
        self.terms = list(dict.fromkeys(terms))[:MAX_TERMS]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def fuzzable(self) -> list[str]:
        """The words a typo in which is corrected: letters only, long enough."""
        return [
            term
            for kind, term in self.terms
            if kind == "word" and len(term) >= MIN_FUZZY_LENGTH and term.isalpha()
        ]

    def correction(self) -> "Correction | None":
        """This query with every fuzzable word that begins no word of the site
        replaced by its corrections (``candidates``), or None when there is no
        such word or one of them has no correction. Reads the vocabulary (once
        a Query): call it only when the query found nothing."""
        if not hasattr(self, "_correction"):
            self._correction = self._correct(vocabulary())
        return self._correction

    def _correct(self, vocabulary: "Vocabulary") -> "Correction | None":
        fuzzable = set(self.fuzzable)
        options: dict[str, list[str]] = {}
        for word in fuzzable:
            if not vocabulary.begins(word):
                found = candidates(word, vocabulary)
                if not found:
                    return None
                options[word] = found
        if not options:
            return None
        terms = [(kind, tuple(options.get(term, [term]))) for kind, term in self.terms]
        text = " ".join(options[w][0] if w in options else w for w in self.text.split())
        return Correction(text, terms)

    @property
    def highlights(self) -> list[str]:
        """What to mark in a displayed text: the query's Chinese runs and words."""
        return sorted(set(self.text.split()), key=len, reverse=True)


def term_q(kind: str, term: str, column: str = "search_text") -> Q:
    if kind == "bigram":
        return Q(**{f"{column}__contains": f" {term} "})
    if kind == "char":
        return Q(**{f"{column}__contains": term})
    return Q(**{f"{column}__contains": f" {term}"})


class Correction:
    """A corrected query: ``text`` to show (each corrected word as its first
    correction) and ``terms`` as (kind, alternatives), any of which may match."""

    def __init__(self, text: str, terms: list[tuple[str, tuple[str, ...]]]):
        self.text = text
        self.terms = terms

    def __repr__(self) -> str:
        return f"Correction({self.text!r}, {self.terms!r})"


def _filtered(
    queryset: QuerySet[Any],
    text: str,
    terms: Iterable[tuple[str, tuple[str, ...]]],
    also: Callable[[str, str], Q] | None,
) -> QuerySet[Any]:
    condition = Q()
    in_name = Q()
    for kind, alternatives in terms:
        match = Q()
        named = Q()
        for term in alternatives:
            match |= term_q(kind, term)
            if also is not None:
                match |= also(kind, term)
            named |= term_q(kind, term, "search_name")
        condition &= match
        in_name &= named
    return queryset.filter(condition).annotate(
        search_rank=Case(
            When(search_name__contains=f"| {text} |", then=Value(3)),
            When(in_name, then=Value(2)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
    )


def filter_queryset(
    queryset: QuerySet[Any],
    q: "str | Query | None",
    *,
    also: Callable[[str, str], Q] | None = None,
) -> QuerySet[Any]:
    """Rows matching every term of ``q``, annotated with ``search_rank``
    (3 exact name, 2 all in the name, 1 elsewhere). ``also(kind, term)`` may
    give another condition a term may meet instead (e.g. a route's stops).
    An empty query returns the queryset unfiltered, with rank 0.

    When ``q`` has a fuzzable word and finds nothing here (one ``exists()``
    query, asked only then), and a word of it begins no word of the site, the
    rows matching the corrected query (``Query.correction``) are returned
    instead, ranked the same way, each annotated with ``search_corrected``
    (the corrected text, for "Showing results for…"; see ``corrected``)."""
    query = q if isinstance(q, Query) else Query(q or "")
    if not query:
        return queryset.annotate(search_rank=Value(0))
    found = _filtered(queryset, query.text, [(k, (t,)) for k, t in query.terms], also)
    if not query.fuzzable or found.exists():
        return found
    correction = query.correction()
    if correction is None:
        return found.none()  # known to find nothing: no need to ask again
    return _filtered(queryset, correction.text, correction.terms, also).annotate(
        search_corrected=Value(correction.text, output_field=models.CharField())
    )


def corrected(rows: Iterable[Any]) -> str:
    """The corrected query ``rows`` (from ``filter_queryset``) were found
    with, or "" when they matched the query as typed (or there are none)."""
    for row in rows:
        return getattr(row, "search_corrected", "")
    return ""


# --- Typo tolerance -----------------------------------------------------------------


class Vocabulary:
    """Every word but the Chinese ones of the searchable rows' ``search_text``,
    sorted, with how many rows each is in, so whether a query word begins one
    (``begins``) and how common what it begins is (``frequency``) are
    bisections. Built by ``vocabulary_counts`` (the same on every database)."""

    def __init__(self, words: Iterable[str], cumulative: Iterable[int]):
        self.words = list(words)
        self.cumulative = list(cumulative)  # rows of words[0..i], running total
        self.alphabet = "".join(sorted({c for w in self.words for c in w}))

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> "Vocabulary":
        words = sorted(counts)
        return cls(words, itertools.accumulate(counts[w] for w in words))

    def data(self) -> tuple[list[str], list[int]]:
        return self.words, self.cumulative

    def _range(self, prefix: str) -> tuple[int, int]:
        return bisect_left(self.words, prefix), bisect_left(self.words, prefix + "\U0010ffff")

    def __contains__(self, word: str) -> bool:
        i = bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def begins(self, prefix: str) -> bool:
        low, high = self._range(prefix)
        return low < high

    def frequency(self, prefix: str) -> int:
        """Rows (counted once per word) of the words ``prefix`` begins."""
        low, high = self._range(prefix)
        if low == high:
            return 0
        return self.cumulative[high - 1] - (self.cumulative[low - 1] if low else 0)


# The words of a stored text but the Chinese ones and the bars between its
# pieces: a stored token is all Chinese or none (``normalise`` spaces them
# apart), and ``normalise`` leaves no other bar.
_VOCABULARY_WORD = re.compile(f"[^\\s|{_HAN}]+")


def vocabulary_counts() -> dict[str, int]:
    """{word: rows} over every searchable model's ``search_text`` (one query a model)."""
    from django.apps import apps

    counts: Counter[str] = Counter()
    for model in apps.get_models():
        if model._meta.proxy or not issubclass(model, Searchable):
            continue
        texts = model._base_manager.order_by().values_list("search_text", flat=True)
        for text in texts.iterator(chunk_size=2000):
            counts.update(set(_VOCABULARY_WORD.findall(text)))
    return dict(counts)


_loaded: dict[str, Vocabulary] = {}


def vocabulary() -> Vocabulary:
    """The site's vocabulary at the current version of its counter (bumped
    when a row's search columns change): from this process's copy, else the
    shared cache, else built from the database and cached. Built every time
    while the cache is down (logged), rather than failing the search."""
    from django.core.cache import cache as shared

    from core.cache import versions

    try:
        version = versions(VOCABULARY)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
        return Vocabulary.from_counts(vocabulary_counts())
    found = _loaded.get(version)
    if found is None:
        key = f"{VOCABULARY}:{version}"
        try:
            data = shared.get(key)
        except Exception:
            logger.warning("cache unavailable", exc_info=True)
            data = None
        if data is None:
            found = Vocabulary.from_counts(vocabulary_counts())
            try:
                shared.set(key, found.data(), VOCABULARY_SECONDS)
            except Exception:
                logger.warning("cache unavailable", exc_info=True)
        else:
            found = Vocabulary(*data)
        _loaded.clear()
        _loaded[version] = found
    return found


def distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): letters
    inserted, deleted, substituted, and two neighbours swapped."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


# The kinds of one edit, best first.
SAME_LENGTH, INSERTED, DELETED = 0, 1, 2


def edits(word: str, alphabet: str) -> dict[str, int]:
    """Every string one edit from ``word`` (its letters from ``alphabet``) and
    the kind of the edit: a letter substituted or two neighbours swapped, a
    letter inserted, a letter deleted."""
    found: dict[str, int] = {}
    for i in range(len(word) - 1):
        found[word[:i] + word[i + 1] + word[i] + word[i + 2 :]] = SAME_LENGTH
    for i, char in enumerate(word):
        for other in alphabet:
            if other != char:
                found[word[:i] + other + word[i + 1 :]] = SAME_LENGTH
    for i in range(len(word) + 1):
        for other in alphabet:
            found[word[:i] + other + word[i:]] = INSERTED
    for i in range(len(word)):
        found[word[:i] + word[i + 1 :]] = DELETED
    found.pop(word, None)
    return found


def candidates(word: str, vocabulary: Vocabulary) -> list[str]:
    """What ``word`` may have been meant as: strings one edit away that are a
    word of the site or (at least ``MIN_FUZZY_LENGTH`` long) begin one, as
    word starts match (``tangeh`` → ``tanghe``, which begins
    ``tanghehongshu``). Only the best class: whole words before beginnings,
    then a substitution or swap before an insertion before a deletion; in it
    the most frequent first, then alphabetically; at most ``MAX_CANDIDATES``,
    none beginning another (which would only repeat or widen it)."""
    found = []
    for edit, kind in edits(word, vocabulary.alphabet).items():
        whole = edit in vocabulary
        if not whole and (len(edit) < MIN_FUZZY_LENGTH or not vocabulary.begins(edit)):
            continue
        found.append(((0 if whole else 1, kind), -vocabulary.frequency(edit), edit))
    if not found:
        return []
    best = min(klass for klass, _, _ in found)
    chosen: list[str] = []
    for _klass, _frequency, edit in sorted(f for f in found if f[0] == best):
        if any(edit.startswith(c) or c.startswith(edit) for c in chosen):
            continue
        chosen.append(edit)
        if len(chosen) == MAX_CANDIDATES:
            break
    return chosen


def reindex(model, *, batch_size: int = 500) -> int:
    """Recompute the columns of every row of ``model`` (a Searchable); returns the count."""
    count = 0
    rows = []
    rows_qs = model._base_manager.select_related(*model.SEARCH_SELECT_RELATED).order_by("pk")
    for obj in rows_qs.iterator(chunk_size=batch_size):
        obj.refresh_search()
        rows.append(obj)
        if len(rows) >= batch_size:
            model._base_manager.bulk_update(rows, ["search_name", "search_text"])
            count += len(rows)
            rows = []
    if rows:
        model._base_manager.bulk_update(rows, ["search_name", "search_text"])
        count += len(rows)
    from core.cache import bump_derived

    bump_derived(VOCABULARY)
    return count


def backfill(name_fields, body_fields, context: Callable | None = None):
    """A RunPython forward function for a migration adding the columns to
    ``app_label.model``: fills them on the historical model."""

    def run(model):
        rows = []
        for obj in model._base_manager.all():
            obj.search_name, obj.search_text = document_for(
                obj, name_fields, body_fields, context(obj) if context else ()
            )
            rows.append(obj)
        model._base_manager.bulk_update(rows, ["search_name", "search_text"], batch_size=500)

    return run


def trigram_index_sql(table: str, name: str) -> tuple[str, str]:
    """(create, drop) SQL of a PostgreSQL trigram GIN index on ``search_text``."""
    return (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("search_text" gin_trgm_ops)',
        f'DROP INDEX IF EXISTS "{name}"',
    )


def migration_operations(app_label: str, model_name: str, table: str, index: str, fill) -> list:
    """The operations a ``*_search_text`` migration runs after adding the
    columns: the backfill, and on PostgreSQL the pg_trgm extension and the
    trigram index (nothing on SQLite, which scans)."""
    from django.db import migrations

    create, drop = trigram_index_sql(table, index)

    def forward(apps, schema_editor):
        fill(apps.get_model(app_label, model_name))
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(create)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return [migrations.RunPython(forward, backward)]


# --- Highlighting ------------------------------------------------------------------


def _folded(char: str) -> str:
    """One character as the search sees it (one character out, so positions hold)."""
    folded = unicodedata.normalize("NFKC", char).lower()
    if _HAN_RUN.fullmatch(char):
        folded = _t2s().convert(folded)
    return folded if len(folded) == 1 else char.lower()


def highlight(text: str | None, query: "str | Query") -> str:
    """``text`` HTML-escaped, with what ``query`` matched in it (its Chinese
    bigrams and characters anywhere, other words at a word's start) in
    ``<mark>``, whatever the script or case either is written in."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text = str(text or "")
    query = query if isinstance(query, Query) else Query(query or "")
    if not text or not query:
        return escape(text)
    folded = "".join(_folded(c) for c in text)
    marked = [False] * len(text)
    for kind, term in query.terms:
        start = folded.find(term)
        while start != -1:
            at_word_start = start == 0 or not folded[start - 1].isalnum()
            if kind != "word" or at_word_start:
                for i in range(start, start + len(term)):
                    marked[i] = True
            start = folded.find(term, start + 1)
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        chunk = escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if marked[i] else chunk)
        i = j
    return mark_safe("".join(out))  # every piece was escaped above
