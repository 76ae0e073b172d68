#!/usr/bin/env python3
"""Check that every public function of reprint.h has a contract comment.

Usage: header_contract.py path/to/reprint.h

For every declaration marked RP_API (up to its ';', over several lines if
need be) the header must have:
  1. a /** ... */ comment ending on the line directly above the declaration
     (one comment per function: a declaration under another declaration
     has none);
  2. for a function returning int (a status): the word "return" in the
     comment, and an RP_ status or what the int means (a number, zero,
     nonzero);
  3. for a function returning a pointer: how long it is valid or who owns
     it (valid, owned, static, lives, until, caller frees, free);
and the header must state the limits 4096, 1024 and 256.

Exits 0 printing "N public functions, all with a contract", 1 naming each
offending function and line, 2 on a usage or parse error. Standard library
only.
"""
import re
import sys

STATUS_RE = re.compile(r"\bRP_(OK|ENOMEM|EINVAL|EIO|EINPUT|ELIMIT|ESTATE|ECANCELED)\b")
MEANING_RE = re.compile(r"(?<![\w.])-?\d+\b|\b(zero|nonzero|non-zero)\b",
                        re.IGNORECASE)
RETURN_RE = re.compile(r"\b[Rr]eturn")
OWNER_RE = re.compile(r"\b(valid|owned|static|lives|until|free)\b|caller frees")
LIMITS = ("4096", "1024", "256")


def scan(text):
    """Split text into code (comments and literals blanked, newlines kept)
    and a list of comments (start offset, end offset, text)."""
    code = []
    comments = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ValueError("unterminated comment at line %d"
                                 % (text.count("\n", 0, i) + 1))
            j += 2
            comments.append((i, j, text[i:j]))
            code.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments.append((i, j, text[i:j]))
            code.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            code.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c
                        if j - i >= 2 else text[i:j])
            i = j
        else:
            code.append(c)
            i += 1
    return "".join(code), comments


def line_of(text, off):
    return text.count("\n", 0, off) + 1


def declarations(text, code):
    """(offset, declaration) of every RP_API declaration outside
    preprocessor lines, comments and literals."""
    out = []
    for m in re.finditer(r"\bRP_API\b", code):
        start = code.rfind("\n", 0, m.start()) + 1
        if code[start:m.start()].strip().startswith("#"):
            continue  # the #define of RP_API itself
        end = code.find(";", m.end())
        if end < 0:
            raise ValueError("RP_API at line %d has no ';'"
                             % line_of(text, m.start()))
        out.append((m.start(), " ".join(code[m.end():end].split())))
    return out


def parse(decl):
    """(return type, function name) of a declaration, or None."""
    m = re.match(r"(?P<ret>.*?)\b(?P<name>[A-Za-z_]\w*)\s*\(", decl)
    if not m or not m.group("ret").strip():
        return None
    return " ".join(m.group("ret").split()), m.group("name")


def comment_above(text, comments, off):
    """The /** comment that ends on the line directly above offset off,
    with nothing but blanks between, or None."""
    line_start = text.rfind("\n", 0, off) + 1
    if text[line_start:off].strip():
        return None  # something precedes RP_API on its line
    for start, end, body in reversed(comments):
        if end > line_start:
            continue
        between = text[end:line_start]
        if between.count("\n") != 1 or between.strip():
            return None
        if text[text.rfind("\n", 0, start) + 1:start].strip():
            return None  # a trailing comment of some other line
        return body if body.startswith("/**") else None
    return None


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s reprint.h\n" % argv[0])
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            text = f.read()
        code, comments = scan(text)
        decls = declarations(text, code)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        sys.stderr.write("%s: %s\n" % (argv[1], e))
        return 2

    problems = []
    if not decls:
        problems.append("no RP_API declaration found")
    for off, decl in decls:
        where = "%s:%d" % (argv[1], line_of(text, off))
        parsed = parse(decl)
        if not parsed:
            problems.append("%s: cannot parse declaration: %s" % (where, decl))
            continue
        ret, name = parsed
        doc = comment_above(text, comments, off)
        if doc is None:
            problems.append("%s: %s: no /** contract comment directly above"
                            % (where, name))
            continue
        words = " ".join(doc.strip("/*").split())
        if ret == "int":
            if not RETURN_RE.search(words):
                problems.append("%s: %s returns int but its comment does not "
                                "say what it returns" % (where, name))
            elif not (STATUS_RE.search(words) or MEANING_RE.search(words)):
                problems.append("%s: %s: the comment names no RP_ status and "
                                "no value of the int" % (where, name))
        if "*" in ret and not OWNER_RE.search(words):
            problems.append("%s: %s returns a pointer but its comment does "
                            "not say who owns it or how long it is valid"
                            % (where, name))
    for limit in LIMITS:
        if not re.search(r"(?<![\w.])%s(?![\w.])" % limit, text):
            problems.append("%s: the limit %s is not written in the header"
                            % (argv[1], limit))

    if problems:
        for p in problems:
            print(p)
        print("%d problem(s) in %d public functions"
              % (len(problems), len(decls)))
        return 1
    print("%d public functions, all with a contract" % len(decls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
