package tokenizer

import "math"

// Byte-level BPE (tokenizer.ggml.model "gpt2"), as llama.cpp's llm_tokenizer_bpe_session.
//
// Each word from the pre-tokenizer is written in GPT-2's byte alphabet; every byte is a
// symbol to start with. The adjacent pair with the lowest merge rank (leftmost on ties)
// is merged, and so on until no adjacent pair has a merge. Merges are found in a map
// keyed by the two parts' token ids. Words of up to shortWord bytes are merged by a
// linear scan; longer ones with a heap of candidate pairs, so that a word of n bytes
// costs O(n log n).

// pairKey is a merge's two parts (in byte-level text).
type pairKey struct{ left, right string }

// symbol is a span [start, end) of the word being merged, linked to its neighbours,
// with its token id (-1 if the span is not a token). A symbol merged into its left
// neighbour has start == end.
type symbol struct {
	start, end int32
	prev, next int32
	id         int32
}

// candidate is a possible merge of symbols left and left's next neighbour right, valid
// while both still have the lengths they had when it was queued. Candidates are taken
// smallest key first; the key orders by merge rank (BPE) or by descending score
// (SentencePiece), then by position.
type candidate struct {
	key         uint64
	left, right int32
	nLeft       int32
	nRight      int32
	id          int32 // the merged token's id, or -1
}

// bpeKey orders by rank, then leftmost.
func bpeKey(rank, left int32) uint64 { return uint64(uint32(rank))<<32 | uint64(uint32(left)) }

// spmKey orders by score, highest first, then leftmost.
func spmKey(score float32, left int32) uint64 {
	// Map the float's bits to an unsigned order (negative floats reversed), then invert
	// so that the highest score is the smallest key.
	b := math.Float32bits(score)
	if b&(1<<31) != 0 {
		b = ^b
	} else {
		b |= 1 << 31
	}
	return uint64(^b)<<32 | uint64(uint32(left))
}

// pairHeap is a binary min-heap of candidates by key.
type pairHeap []candidate

func (h *pairHeap) push(c candidate) {
	*h = append(*h, c)
	items := *h
	i := len(items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if items[i].key >= items[p].key {
			break
		}
		items[i], items[p] = items[p], items[i]
		i = p
	}
}

func (h *pairHeap) pop() candidate {
	items := *h
	top := items[0]
	last := len(items) - 1
	items[0] = items[last]
	items = items[:last]
	*h = items
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && items[r].key < items[l].key {
			m = r
		}
		if items[m].key >= items[i].key {
			break
		}
		items[i], items[m] = items[m], items[i]
		i = m
	}
	return top
}

// merge is a BPE merge of two tokens, found by their ids.
type merge struct {
	rank int32
	id   int32 // the merged token, or -1 if its text is not a token
}

// pairID packs two token ids into a merges key.
func pairID(l, r int32) uint64 { return uint64(uint32(l))<<32 | uint64(uint32(r)) }

// scratch is the working memory of one Encode call (pooled in Tokenizer.states).
type scratch struct {
	buf  []byte
	syms []symbol
	heap pairHeap
	cpts []rune
	cls  []class
	lens []int
}

// encodeBPE appends the ids of one text fragment to out.
func (t *Tokenizer) encodeBPE(text string, st *scratch, out []int32) []int32 {
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
func (t *Tokenizer) bpeWord(raw string, st *scratch, out []int32) []int32 {
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
	for i := 0; i < len(raw); i++ {
		k := int32(len(syms))
		n := int32(len(byteString[raw[i]]))
		var s int32
		if k > 0 {
			s = syms[k-1].end
		}
		syms = append(syms, symbol{start: s, end: s + n, prev: k - 1, next: k + 1, id: t.byteIDs[raw[i]]})
	}
	syms[len(syms)-1].next = -1
	st.syms = syms

	if len(syms) <= shortWordLimit {
		t.mergeShort(word, syms)
	} else {
		t.mergeLong(word, syms, &st.heap)
	}

	for i := int32(0); i >= 0; i = syms[i].next {
		if id := syms[i].id; id >= 0 {
			out = append(out, id)
			continue
		}
		s := word[syms[i].start:syms[i].end]
		// Not a token: llama.cpp emits the tokens of its single bytes, when they exist.
		for j := 0; j < len(s); j++ {
			if id, ok := t.ids[s[j:j+1]]; ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// shortWord is the longest word (in bytes) mergeShort can merge: below it a linear scan
// for the best pair costs less than keeping a heap (about half the time on the 2 KB
// paragraph of BenchmarkEncode).
const shortWord = 16

// shortWordLimit is the longest word given to mergeShort; tests set it to 0 to check
// mergeLong on every word.
var shortWordLimit = shortWord

// findMerge returns the merge of adjacent symbols l and r of word, if there is one.
func (t *Tokenizer) findMerge(word string, l, r *symbol) (merge, bool) {
	if l.id >= 0 && r.id >= 0 {
		m, ok := t.merges[pairID(l.id, r.id)]
		return m, ok
	}
	if t.mergesByText != nil {
		m, ok := t.mergesByText[pairKey{word[l.start:l.end], word[r.start:r.end]}]
		return m, ok
	}
	return merge{}, false
}

// mergeSymbols merges symbol r into its left neighbour l, which becomes token id.
func mergeSymbols(syms []symbol, l, r int32, id int32) {
	ls, rs := &syms[l], &syms[r]
	ls.end = rs.end
	ls.id = id
	rs.start = rs.end
	ls.next = rs.next
	if rs.next >= 0 {
		syms[rs.next].prev = l
	}
}

// mergeShort merges the symbols of a word of at most shortWord symbols: each step
// scans the current adjacent pairs, whose merges are kept up to date, for the lowest
// rank (leftmost on ties).
func (t *Tokenizer) mergeShort(word string, syms []symbol) {
	var pairs [shortWord]merge // pairs[i]: merge of symbol i with its next neighbour; rank -1 if none
	find := func(l int32) merge {
		if r := syms[l].next; r >= 0 {
			if m, ok := t.findMerge(word, &syms[l], &syms[r]); ok {
				return m
			}
		}
		return merge{rank: -1}
	}
	for i := range syms {
		pairs[i] = find(int32(i))
	}
	for {
		best := int32(-1)
		for i := int32(0); i >= 0; i = syms[i].next {
			if pairs[i].rank >= 0 && (best < 0 || pairs[i].rank < pairs[best].rank) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		mergeSymbols(syms, best, syms[best].next, pairs[best].id)
		pairs[best] = find(best)
		if p := syms[best].prev; p >= 0 {
			pairs[p] = find(p)
		}
	}
}

// mergeLong merges the symbols of a long word with a heap of candidate pairs, so that
// a word of n bytes costs O(n log n).
func (t *Tokenizer) mergeLong(word string, syms []symbol, h *pairHeap) {
	*h = (*h)[:0]
	tryPair := func(l, r int32) {
		if l < 0 || r < 0 {
			return
		}
		ls, rs := &syms[l], &syms[r]
		m, ok := t.findMerge(word, ls, rs)
		if !ok {
			return
		}
		h.push(candidate{key: bpeKey(m.rank, l), left: l, right: r, nLeft: ls.end - ls.start, nRight: rs.end - rs.start, id: m.id})
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
		mergeSymbols(syms, c.left, c.right, c.id)
		tryPair(syms[c.left].prev, c.left)
		tryPair(c.left, syms[c.left].next)
	}
}
