"""Short codes people read aloud and type: pickup codes (marketplace) and
booking codes (tours). One alphabet, one way to draw, one way to read back
what was typed or scanned.

The alphabet has no 0/O and no 1/I/L, so a code read out across a counter
or on the phone is unambiguous. Typed look-alikes (O, 0, I, 1, L) are not
mapped to anything: none of them is in the alphabet, so no stored code
contains them and a code typed with one simply does not match.

A drawn code never contains a word from ``BLOCKED`` (a few English and
pinyin swear words and slurs in Latin letters, also spelled with digits
such as 5 for S): the draw is repeated until it is clean.
"""

import hashlib
import re
import secrets
import unicodedata
from urllib.parse import parse_qs, urlsplit

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

# Substrings a code must not contain. Only letters of the alphabet matter
# (a word with I, L or O can never be drawn). Pinyin: SB (傻逼), TMD (他妈的),
# NMD/CNM/NMB/MMP/RNM (mother insults), NMS (the drawable start of NMSL, 你妈死了),
# WQNMD, GUN (滚), TNND/NND (他奶奶的), SHAGUA (傻瓜). Words with I, L, O or 0/1
# (SHIT, NMSL, MLGB, CAO, 250) need no entry: the alphabet cannot spell them.
BLOCKED = (
    # English
    "ANUS",
    "ARSE",
    "ASS",
    "BDSM",
    "BUTT",
    "CRAP",
    "CUM",
    "CUNT",
    "DAMN",
    "FAG",
    "FUCK",
    "FUK",
    "FCK",
    "JAP",
    "JERK",
    "KKK",
    "NAZ",
    "NUDE",
    "PENS",
    "PUKE",
    "PUSSY",
    "RAPE",
    "SEX",
    "SUCK",
    "TWAT",
    "WANK",
    "WTF",
    "XXX",
    # Pinyin
    "SB",
    "TMD",
    "NMD",
    "NMB",
    "CNM",
    "MMP",
    "TNND",
    "NND",
    "RNM",
    "NMS",
    "GUN",
    "SHAGUA",
    "BJ",
    "JB",
)

# Digits drawn where a letter would complete a word: 5ex, a55, 8utt.
_AS_LETTERS = str.maketrans({"2": "Z", "3": "E", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"})
_BLOCKED_RE = re.compile("|".join(sorted(BLOCKED, key=len, reverse=True)))

# Longest text kept from what was typed: codes are 6 to 8 characters; a
# pasted paragraph is cut rather than carried into a query.
MAX_TYPED = 32


def is_clean(code: str) -> bool:
    """No blocked word in ``code``, read as it is or with digits read as letters."""
    code = code.upper()
    return not (_BLOCKED_RE.search(code) or _BLOCKED_RE.search(code.translate(_AS_LETTERS)))


def draw(length: int) -> str:
    """A random code of ``length`` characters (``secrets``), never spelling a blocked word."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _position in range(length))
        if is_clean(code):
            return code


def stable(*parts: object, length: int) -> str:
    """The same clean code for the same ``parts`` every time (demo data)."""
    attempt = 0
    while True:
        seed = "|".join(map(str, parts)) + (f"|{attempt}" if attempt else "")
        digest = hashlib.sha256(seed.encode()).digest()
        code = "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:length])
        if is_clean(code):
            return code
        attempt += 1


def normalise(text: str | None) -> str:
    """The code in what a person typed or a scanner sent: case, spaces and
    dashes don't matter, full-width characters from a Chinese keyboard count
    as their ASCII selves, and a URL (the QR code's check-in link) gives its
    ``code`` parameter."""
    text = unicodedata.normalize("NFKC", text or "").strip()[:2048]
    if "code=" in text:
        text = (parse_qs(urlsplit(text).query).get("code") or [""])[0]
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())[:MAX_TYPED]
