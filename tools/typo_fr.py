"""Fix French typography inside the string literals of Python files (not docstrings).

    python tools/typo_fr.py FILE.py [...]     # rewrites files in place, prints what changed

Puts a no-break space (U+00A0) before : ; ! ? and inside « guillemets », and a
typographic apostrophe in French elisions (l’, d’, qu’…). The rules are the ones
tests/test_french_typography.py checks.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

NBSP = "\u00a0"
FRENCH_HINT = re.compile(r"[éèêàùçôîœ’«»]|\b(le|la|les|des|une|est|pas|pour|avec|dans)\b", re.IGNORECASE)
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|PRAGMA|WHERE)\b")
RULES = [
    (re.compile(r"([\w)»}%]) ([:;!?])(?=\s|$|[\"'{]|\\n)"), rf"\1{NBSP}\2"),
    (re.compile(r"« "), f"«{NBSP}"),
    (re.compile(r" »"), f"{NBSP}»"),
    (re.compile(r"\b([ldnjmtscLDNJMTSC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)'(?=[aeiouyhéèêàâîôûœAEIOUYHÉÈÊÀ])"), r"\1’"),
]


def fix_source(source: str) -> tuple[str, int]:
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits = []
    prev_significant = None
    for tok in tokens:
        if tok.type == tokenize.STRING:
            is_docstring = prev_significant in (None, tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT) \
                and tok.string.lstrip("rRbBuUfF").startswith(('"""', "'''"))
            if not is_docstring and FRENCH_HINT.search(tok.string) and not SQL.search(tok.string):
                new = tok.string
                for rx, repl in RULES:
                    new = rx.sub(repl, new)
                if new != tok.string:
                    start = offsets[tok.start[0] - 1] + tok.start[1]
                    end = offsets[tok.end[0] - 1] + tok.end[1]
                    edits.append((start, end, new))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            prev_significant = tok.type
    for start, end, new in reversed(edits):
        source = source[:start] + new + source[end:]
    return source, len(edits)


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        fixed, count = fix_source(text)
        if count:
            path.write_text(fixed, encoding="utf-8")
            print(f"{path} : {count} chaîne(s) corrigée(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
