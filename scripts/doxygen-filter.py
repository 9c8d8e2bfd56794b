#!/usr/bin/env python3
# Doxygen INPUT_FILTER for include/net/*.h (docs/Doxyfile.in).
#
# The headers are commented in the Abseil style: a `//` block directly above
# a declaration, a trailing `//` after an enum value or a field. Doxygen
# reads only `///`, `//!`, `/** */` and `///<`. This filter rewrites, for
# Doxygen's eyes only (the headers are not touched), each such comment into
# a doc comment, so the reference is made of the comments already there:
#
#   * the file banner: `// Copyright` and the `// File:` lines are dropped,
#     the rest of the first comment block becomes the `\file` description;
#   * a `//` block directly above a declaration (no blank line between)
#     becomes `///`. Its Abseil title line (`// Socket::Open()`,
#     `// SocketError`) is dropped: Doxygen names the entity itself, and the
#     first sentence after it becomes the brief (JAVADOC_AUTOBRIEF);
#   * when that block is followed by several declarations with no blank
#     line between them (`// Socket::Send(), Socket::Receive()`), they are
#     made one member group (`/**@{*/ ... /**@}*/` on their own lines), so
#     the block documents each of them (DISTRIBUTE_GROUP_DOC);
#   * a trailing `// text` after code becomes `///< text`, and a `//` line
#     continuing it (same column, right below) becomes `///<` too;
#   * a typed option alias with no comment of its own (`using NoDelay =
#     BoolOption<OptionId::kTcpNoDelay>;`) gets "The typed form of
#     OptionId::kTcpNoDelay.", a link to that id's documented enum value;
#   * `// namespace net` trailers and comments that stand alone (a blank
#     line after them: section rulers, notes) are dropped; a trailing comment
#     on a line that opens or closes a scope is dropped;
#   * inside a block, an indented paragraph that is not a list (an
#     "Example:") is fenced as code, and `@`/`\` outside backquotes are
#     escaped, so Doxygen does not read them as commands.
#
# Every output line is the input line of the same number: Doxygen's warnings
# point into the real header.
#
# Usage: doxygen-filter.py FILE  (the filtered text on stdout)
#        doxygen-filter.py --check-enum-values XMLDIR INCLUDEDIR
#          (after doxygen: Doxygen does not warn about an undocumented enum
#          value; this lists each one as an error, exit status 1 if any)

import os
import re
import sys

COMMENT_LINE = re.compile(r'^(\s*)//(?!/)(.*)$')
# An Abseil title line: `Name`, `Name()`, `Class::Name()`, `A(), B()`,
# `A(address, timeout)`, maybe `operator==`.
TITLE = re.compile(
    r'^\s*(?:[~A-Za-z_][\w:<>~]*(?:\([^()]*\))?|operator\S+)'
    r'(?:\s*(?:,|and)\s*(?:[~A-Za-z_][\w:<>~]*(?:\([^()]*\))?))*\s*$')
LIST_ITEM = re.compile(r'^\s*(?:[*+-]|\d+\.)\s')


def code_and_trailing(line):
    """Splits `line` into code and a trailing `//` comment (or None),
    ignoring `//` inside string and character literals."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == '\\':
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in '"\'':
            quote = c
        elif line.startswith('//', i):
            return line[:i], line[i:]
        i += 1
    return line, None


def escape_commands(text):
    """Escapes `@` and `\\` outside backquoted spans, `<` that would read
    as an HTML tag, and a leading `::` (`::ffff:0:0/96`), which Doxygen
    reads as a link request, even inside a code span (such a span is
    written as <tt> with the escape instead)."""
    out = ''
    parts = text.split('`')
    for n, part in enumerate(parts):
        if n % 2 == 0:
            part = part.replace('\\', '\\\\').replace('@', '\\@')
            part = re.sub(r'<(?=[A-Za-z/])', r'\\<', part)
            part = re.sub(r'(?<![\w>)])::(?=\w)', r'\\::', part)
            out += part
        elif n == len(parts) - 1:  # an unclosed backquote
            out += '`' + part
        elif part.startswith('::'):
            out += '<tt>\\' + part + '</tt>'
        else:
            out += '`' + part + '`'
    return out


def is_code(line):
    s = line.strip()
    return bool(s) and not s.startswith('//')


def attaches(next_line):
    """Whether a comment block directly above `next_line` documents it."""
    s = next_line.strip()
    if not s or s.startswith('//'):
        return False
    if s.startswith('#') and not s.startswith('#define'):
        return False
    if s.startswith('}') or s in ('public:', 'private:', 'protected:'):
        return False
    if re.match(r'namespace\b', s) or s.startswith('template <>'):
        return False
    return True


def rewrite_block(lines, indent_of, drop_title):
    """Turns the bodies of one attached `//` block into `///` lines."""
    bodies = []
    for line in lines:
        m = COMMENT_LINE.match(line)
        body = m.group(2)
        if body.startswith(' '):
            body = body[1:]
        bodies.append((m.group(1), body))
    out = []
    start = 0
    if drop_title and len(bodies) >= 2 and TITLE.match(bodies[0][1]) and \
            bodies[1][1].strip() == '':
        # The title line and the empty line after it.
        out.extend([bodies[0][0] + '///', bodies[1][0] + '///'])
        start = 2
    # Paragraphs: fence the indented ones that are not lists.
    in_code = False
    prev_blank = True
    for k in range(start, len(bodies)):
        ind, body = bodies[k]
        blank = body.strip() == ''
        starts_code = (not in_code and prev_blank and not blank and
                       body.startswith('  ') and not LIST_ITEM.match(body))
        if starts_code:
            # One output line per input line: the code opens on this line.
            in_code = True
            out.append(ind + '/// \\code ' + body.rstrip())
        elif in_code and blank:
            out[-1] = out[-1] + ' \\endcode'
            in_code = False
            out.append(ind + '///')
        elif in_code:
            out.append(ind + '/// ' + body.rstrip())
        else:
            out.append(ind + ('/// ' + escape_commands(body) if body else '///'))
        prev_blank = blank
    if in_code:
        out[-1] = out[-1] + ' \\endcode'
    return out


def brace_balanced(code_lines):
    depth = 0
    for line in code_lines:
        code, _ = code_and_trailing(line)
        for c in code:
            if c == '{':
                depth += 1
            elif c == '}':
                depth -= 1
                if depth < 0:
                    return False
        if depth == 0 and re.search(r'\b(class|struct|enum|union)\b[^;(]*\{',
                                    code):
            return False
    return depth == 0


def group_run(src, first):
    """The declarations right below an attached block, up to a blank or
    comment line: the range [first, end) if they can be one member group
    (more than one line, balanced braces, no access specifier), else None."""
    end = first
    while end < len(src) and is_code(src[end]):
        s = src[end].strip()
        if s in ('public:', 'private:', 'protected:') or s.startswith('#'):
            return None
        end += 1
    if end - first < 2:
        return None
    run = src[first:end]
    head = run[0].strip()
    # Not a type's definition (its members are documented one by one).
    if re.match(r'(namespace|using)\b', head) or \
            re.match(r'(class|struct|enum|union)\b[^;(]*(\{|$)', head):
        return None
    if not brace_balanced(run):
        return None
    # More than one declaration: a line ending one (`;` or `}` back at
    # depth 0) before the last line.
    depth = 0
    ends = 0
    for line in run:
        code = code_and_trailing(line)[0].rstrip()
        depth += code.count('{') - code.count('}')
        if depth == 0 and re.search(r'(;|\})$', code):
            ends += 1
    if ends < 2:
        return None
    return first, end


def filter_text(src):
    out = list(src)
    n = len(src)
    # The banner: the first comment block, before any code.
    i = 0
    while i < n and src[i].strip() == '':
        i += 1
    j = i
    while j < n and COMMENT_LINE.match(src[j]):
        j += 1
    banner = src[i:j]
    if any('File:' in l for l in banner):
        in_desc = False
        for k in range(i, j):
            body = COMMENT_LINE.match(src[k]).group(2).strip()
            if body.startswith('File:'):
                out[k] = '/// \\file'
                in_desc = True
            elif not in_desc:
                out[k] = ''
            else:
                out[k] = None  # rewritten below with the block
        desc = [k for k in range(i, j) if out[k] is None]
        if desc:
            rewritten = rewrite_block(
                ['//' + ('' if set(COMMENT_LINE.match(src[k]).group(2).strip())
                         <= set('-') else COMMENT_LINE.match(src[k]).group(2))
                 for k in desc], None, False)
            for k, text in zip(desc, rewritten):
                out[k] = text
        start = j
    else:
        start = 0

    k = start
    groups = []
    prev_trailing_col = None  # column of the previous line's trailing //
    while k < n:
        line = src[k]
        m = COMMENT_LINE.match(line)
        if m:
            # A continuation of the previous line's trailing comment.
            if prev_trailing_col is not None and len(m.group(1)) == \
                    prev_trailing_col:
                out[k] = m.group(1) + '///< ' + escape_commands(
                    m.group(2).strip())
                k += 1
                continue
            b = k
            while k < n and COMMENT_LINE.match(src[k]):
                k += 1
            block = src[b:k]
            if k < n and attaches(src[k]):
                out[b:k] = rewrite_block(block, None, True)
                run = group_run(src, k)
                if run:
                    groups.append(run)
            else:
                for q in range(b, k):
                    out[q] = ''
            prev_trailing_col = None
            continue
        code, trailing = code_and_trailing(line)
        prev_trailing_col = None
        if trailing is not None:
            text = trailing[2:].strip()
            s = code.strip()
            if not s or s.startswith('}') or s.startswith('#') or \
                    s.endswith('{') or text.startswith('namespace') or \
                    s in ('public:', 'private:', 'protected:'):
                out[k] = code.rstrip()
            else:
                out[k] = code + '///< ' + escape_commands(text)
                prev_trailing_col = len(code)
        k += 1
    document_option_aliases(src, out)
    # The member groups last: the lines' trailing comments are in place.
    for first, end in groups:
        ind = re.match(r'\s*', out[first]).group(0)
        out[first] = ind + '/**@{*/ ' + out[first][len(ind):]
        last = out[end - 1]
        at = last.find('///<')
        if at == -1:
            out[end - 1] = last + ' /**@}*/'
        else:  # before the line's own trailing comment
            out[end - 1] = last[:at] + '/**@}*/ ' + last[at:]
    return out


def document_option_aliases(src, out):
    """A typed option with no comment of its own (`using NoDelay =
    BoolOption<OptionId::kTcpNoDelay>;`) is the option its id names, whose
    enum value is documented (option_ids.h; the enum value check holds
    it): its doc says so and links there."""
    for k, line in enumerate(src):
        m = re.match(r'\s*using (\w+) =', line)
        if not m or (k > 0 and COMMENT_LINE.match(src[k - 1])):
            continue
        end = k
        while end < len(src) and ';' not in code_and_trailing(src[end])[0]:
            end += 1
        decl = ' '.join(code_and_trailing(l)[0] for l in src[k:end + 1])
        ids = re.search(r'Option<OptionId::(k\w+)', decl)
        if not ids or any(code_and_trailing(l)[1] for l in src[k:end + 1]):
            continue
        out[end] = out[end] + ' ///< The typed form of OptionId::%s.' % \
            ids.group(1)


def check_enum_values(xml_dir, include_dir):
    """Doxygen does not warn about an undocumented enum value; this does,
    from its XML output, in its warning format. Returns the count."""
    import glob
    import xml.etree.ElementTree as ET
    count = 0
    seen = set()
    for path in sorted(glob.glob(xml_dir + '/*.xml')):
        if path.endswith('/index.xml'):
            continue
        root = ET.parse(path).getroot()
        for enum in root.iter('memberdef'):
            if enum.get('kind') != 'enum' or enum.get('prot') != 'public':
                continue
            loc = enum.find('location')
            for value in enum.findall('enumvalue'):
                text = ''.join(
                    ''.join(value.find(tag).itertext())
                    for tag in ('briefdescription', 'detaileddescription')
                    if value.find(tag) is not None).strip()
                key = (loc.get('file'), value.get('id'))
                if text or key in seen:
                    continue
                seen.add(key)
                count += 1
                print('%s:%s: error: Enum value %s of %s is not documented.' %
                      (os.path.join(include_dir, loc.get('file')),
                       loc.get('line'),
                       value.findtext('name'), enum.findtext('qualifiedname')))
    return count


def main():
    if sys.argv[1] == '--check-enum-values':
        sys.exit(1 if check_enum_values(sys.argv[2], sys.argv[3]) else 0)
    with open(sys.argv[1], encoding='utf-8') as f:
        src = f.read().split('\n')
    sys.stdout.write('\n'.join(filter_text(src)))


if __name__ == '__main__':
    main()
