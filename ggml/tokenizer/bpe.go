package tokenizer

// Byte-level BPE (tokenizer.ggml.model "gpt2"), as llama.cpp's llm_tokenizer_bpe_session.
//
// Each word from the pre-tokenizer is written in GPT-2's byte alphabet; every byte is a
// symbol to start with. The adjacent pair with the lowest merge rank (leftmost on ties)
// is merged, and so on until no adjacent pair has a merge. A heap of candidate pairs
// makes a word of n bytes cost O(n log n); merges are found in a map keyed by the pair.

// pairKey is a merge's two parts (in byte-level text).
type pairKey struct{ left, right string }

// symbol is a span [start, end) of the word being merged, linked to its neighbours.
// A symbol merged into its left neighbour has start == end.
type symbol struct {
	start, end int32
	prev, next int32
}

// candidate is a possible merge of symbols left and left's next neighbour right, valid
// while both still have the lengths they had when it was queued.
type candidate struct {
	rank        int32 // merge rank for BPE; for SentencePiece, the index into scores order
	score       float32
	left, right int32
	nLeft       int32
	nRight      int32
}

// pairHeap is a binary min-heap ordered by less.
type pairHeap struct {
	items []candidate
	less  func(a, b *candidate) bool
}

func (h *pairHeap) push(c candidate) {
	h.items = append(h.items, c)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(&h.items[i], &h.items[p]) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *pairHeap) pop() candidate {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && h.less(&h.items[r], &h.items[l]) {
			m = r
		}
		if !h.less(&h.items[m], &h.items[i]) {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

func bpeLess(a, b *candidate) bool {
	return a.rank < b.rank || (a.rank == b.rank && a.left < b.left)
}

// bpeState is the scratch space of one Encode call.
type bpeState struct {
	buf  []byte
	syms []symbol
	heap pairHeap
	cpts []rune
	cls  []class
	lens []int
}

// encodeBPE appends the ids of one text fragment to out.
func (t *Tokenizer) encodeBPE(text string, st *bpeState, out []int32) []int32 {
	clean, cpts := decodeText(text, st.cpts[:0])
	st.cpts = cpts
	cls := st.cls[:0]
	for _, r := range cpts {
		cls = append(cls, classify(r))
	}
	st.cls = cls
	st.lens = t.split(cpts, cls, st.lens[:0])

	pos, off := 0, 0 // in code points, in bytes of clean
	for _, n := range st.lens {
		end := off
		for _, r := range cpts[pos : pos+n] {
			end += cptWidth(r)
		}
		out = t.bpeWord(clean[off:end], st, out)
		pos += n
		off = end
	}
	return out
}

// bpeWord appends the ids of one pre-tokenized word (raw bytes) to out.
func (t *Tokenizer) bpeWord(raw string, st *bpeState, out []int32) []int32 {
	buf := st.buf[:0]
	for i := 0; i < len(raw); i++ {
		buf = append(buf, byteString[raw[i]]...)
	}
	st.buf = buf
	if t.ignoreMerges {
		if id, ok := t.ids[string(buf)]; ok {
			return append(out, id)
		}
	}
	word := string(buf)

	syms := st.syms[:0]
	for i := 0; i < len(word); {
		n := seqLen(word[i])
		if i+n > len(word) {
			n = len(word) - i
		}
		k := int32(len(syms))
		syms = append(syms, symbol{start: int32(i), end: int32(i + n), prev: k - 1, next: k + 1})
		i += n
	}
	syms[len(syms)-1].next = -1
	st.syms = syms

	h := &st.heap
	h.items = h.items[:0]
	h.less = bpeLess
	tryPair := func(l, r int32) {
		if l < 0 || r < 0 {
			return
		}
		ls, rs := syms[l], syms[r]
		rank, ok := t.ranks[pairKey{word[ls.start:ls.end], word[rs.start:rs.end]}]
		if !ok {
			return
		}
		h.push(candidate{rank: rank, left: l, right: r, nLeft: ls.end - ls.start, nRight: rs.end - rs.start})
	}
	for i := 1; i < len(syms); i++ {
		tryPair(int32(i-1), int32(i))
	}
	for len(h.items) > 0 {
		c := h.pop()
		l, r := &syms[c.left], &syms[c.right]
		if l.end-l.start != c.nLeft || r.end-r.start != c.nRight || c.nLeft == 0 || c.nRight == 0 {
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
		s := word[syms[i].start:syms[i].end]
		if id, ok := t.ids[s]; ok {
			out = append(out, id)
			continue
		}
		// Not a token: llama.cpp emits the tokens of its single bytes, when they exist.
		for j := 0; j < len(s); j++ {
			if id, ok := t.ids[s[j:j+1]]; ok {
				out = append(out, id)
			}
		}
	}
	return out
}
