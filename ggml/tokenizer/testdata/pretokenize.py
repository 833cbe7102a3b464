# Writes pretokenize.jsonl: random strings over an alphabet of edge cases, split by
# the qwen2, llama3 and gpt2 pre-tokenizer expressions with Python's `regex` module
# (which has \p{..} classes and lookahead). Every match is a word and so is every
# stretch of unmatched text between matches, as in llama.cpp.
#
#   python3 pretokenize.py > pretokenize.jsonl
#
# Not in the alphabet: U+001C..U+001F (Python's \s has them, llama.cpp's does not) and
# unassigned code points (llama.cpp's hand-written llama3/gpt2 matchers treat them
# differently from the expressions).
import json
import random

import regex

random.seed(7)
alpha = list("aZé中ßǅ") + list("09²½٣") + \
    [" ", " ", " ", "\t", "\r", "\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\x0b"] + \
    list("'sStTrReEvVlLdDmM") + list(".,!?-—’“$+<=>^~|`") + \
    ["\u0301", "\u200d", "\u200b", "😀", "\ufffd", "\x00", "\x7f"]
qwen2 = r"""(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
llama3 = qwen2.replace(r"|\p{N}|", r"|\p{N}{1,3}|")
gpt2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"""


def split(p, s):
    out, pos = [], 0
    for m in regex.finditer(p, s):
        if m.start() > pos:
            out.append(s[pos:m.start()])
        out.append(m.group())
        pos = m.end()
    if pos < len(s):
        out.append(s[pos:])
    return out


for _ in range(800):
    s = "".join(random.choice(alpha) for _ in range(random.randint(1, 12)))
    print(json.dumps({"text": s, "qwen2": split(qwen2, s), "llama3": split(llama3, s), "gpt2": split(gpt2, s)},
                     ensure_ascii=False, separators=(",", ":")))
