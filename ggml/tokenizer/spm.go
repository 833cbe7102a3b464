package tokenizer

import "strings"

// SentencePiece-style BPE (tokenizer.ggml.model "llama"), as llama.cpp's
// llm_tokenizer_spm_session.
//
// The fragment (with a leading space when it starts the text or follows a special
// token) has its spaces replaced by U+2581 "▁"; every UTF-8 character is a symbol to
// start with. The adjacent pair whose concatenation is a token with the highest score
// (leftmost on ties) is merged, and so on. A final symbol that is not a token is
// emitted as the <0xXX> tokens of its bytes.

// spaceMark is U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space.
const spaceMark = "\u2581"

// encodeSPM appends the ids of one text fragment to out; prefixSpace adds the leading
// space.
func (t *Tokenizer) encodeSPM(fragment string, prefixSpace bool, st *scratch, out []int32) []int32 {
	var sb strings.Builder
	sb.Grow(len(fragment) + 3*8)
	if prefixSpace {
		sb.WriteString(spaceMark)
	}
	for i := 0; i < len(fragment); i++ {
		if fragment[i] == ' ' {
			sb.WriteString(spaceMark)
		} else {
			sb.WriteByte(fragment[i])
		}
	}
	text := sb.String()
	if text == "" {
		return out
	}

	syms := st.syms[:0]
	for i := 0; i < len(text); {
		n := seqLen(text[i])
		if i+n > len(text) {
			n = len(text) - i
		}
		k := int32(len(syms))
		syms = append(syms, symbol{start: int32(i), end: int32(i + n), prev: k - 1, next: k + 1})
		i += n
	}
	syms[len(syms)-1].next = -1
	st.syms = syms

	h := &st.heap
	*h = (*h)[:0]
	tryPair := func(l, r int32) {
		if l < 0 || r < 0 {
			return
		}
		ls, rs := syms[l], syms[r]
		id, ok := t.ids[text[ls.start:rs.end]] // l and r are adjacent in text
		if !ok {
			return
		}
		h.push(candidate{key: spmKey(t.scores[id], l), left: l, right: r, nLeft: ls.end - ls.start, nRight: rs.end - rs.start})
	}
	for i := 1; i < len(syms); i++ {
		tryPair(int32(i-1), int32(i))
	}
	for len(*h) > 0 {
		c := h.pop()
		l, r := &syms[c.left], &syms[c.right]
		if l.end-l.start != c.nLeft || r.end-r.start != c.nRight {
			continue // outdated: one side has changed since the pair was queued
		}
		l.end = r.end
		r.start = r.end
		l.next = r.next
		if r.next >= 0 {
			syms[r.next].prev = c.left
		}
		tryPair(l.prev, c.left)
		tryPair(c.left, l.next)
	}

	for i := int32(0); i >= 0; i = syms[i].next {
		s := text[syms[i].start:syms[i].end]
		if id, ok := t.ids[s]; ok {
			out = append(out, id)
			continue
		}
		for j := 0; j < len(s); j++ {
			if id := t.byteTokens[s[j]]; id >= 0 {
				out = append(out, id)
			}
		}
	}
	return out
}
