package tokenizer

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// TokenType is a token's type as stored in tokenizer.ggml.token_type (llama.cpp's
// llama_token_type numbers).
type TokenType int32

// Token types.
const (
	TypeUndefined   TokenType = 0
	TypeNormal      TokenType = 1
	TypeUnknown     TokenType = 2
	TypeControl     TokenType = 3
	TypeUserDefined TokenType = 4
	TypeUnused      TokenType = 5
	TypeByte        TokenType = 6
)

// attr is a set of token attributes (llama.cpp's llama_token_attr): a token type as a
// bit, plus bits added by the rules that fix up metadata (a NORMAL token can also be
// CONTROL, see New).
type attr uint16

const (
	attrUndefined attr = 1 << iota
	attrUnknown
	attrUnused
	attrNormal
	attrControl
	attrUserDefined
	attrByte
)

// attrOfType maps token types to attributes; unknown numbers are undefined.
var attrOfType = map[TokenType]attr{
	TypeUndefined:   attrUndefined,
	TypeNormal:      attrNormal,
	TypeUnknown:     attrUnknown,
	TypeControl:     attrControl,
	TypeUserDefined: attrUserDefined,
	TypeUnused:      attrUnused,
	TypeByte:        attrByte,
}

// Config is a tokenizer's description as plain values, named after the GGUF keys
// (tokenizer.ggml.*). Nil pointers mean "absent from the metadata": New then uses
// llama.cpp's default for the model.
type Config struct {
	Model  string    // tokenizer.ggml.model: "gpt2" (byte-level BPE) or "llama" (SentencePiece)
	Pre    string    // tokenizer.ggml.pre: pre-tokenizer of "gpt2" models ("qwen2", "llama-bpe", "gpt-2", "default", ...)
	Tokens []string  // tokenizer.ggml.tokens, by id
	Scores []float32 // tokenizer.ggml.scores, by id ("llama" merges the best-scored pair first); nil means all 0
	Types  []int32   // tokenizer.ggml.token_type, by id (TokenType values); nil means all NORMAL
	Merges []string  // tokenizer.ggml.merges, "left right", best rank first ("gpt2" only)

	// Special token ids: tokenizer.ggml.{bos,eos,eot,eom,unknown,seperator,padding,mask}_token_id
	// and tokenizer.ggml.fim_{pre,suf,mid,pad,rep,sep}_token_id.
	BOS, EOS, EOT, EOM, UNK, SEP, PAD, Mask        *uint32
	FIMPre, FIMSuf, FIMMid, FIMPad, FIMRep, FIMSep *uint32
	AddBOS, AddEOS, AddSpacePrefix                 *bool // tokenizer.ggml.add_bos_token, add_eos_token, add_space_prefix
}

// Errors returned by New (wrapped with details).
var (
	// ErrBadConfig means the metadata is inconsistent or incomplete.
	ErrBadConfig = errors.New("tokenizer: bad tokenizer metadata")
	// ErrUnsupported means the tokenizer model or pre-tokenizer is not implemented.
	ErrUnsupported = errors.New("tokenizer: unsupported tokenizer")
)

// Tokenizer converts between text and token ids. It is immutable and safe for
// concurrent use.
type Tokenizer struct {
	spm          bool               // "llama" model; otherwise byte-level BPE
	texts        []string           // token text by id (immutable)
	attrs        []attr             // token attributes by id
	scores       []float32          // by id ("llama" merges)
	ids          map[string]int32   // token text -> id
	merges       map[uint64]merge   // "gpt2": pairID(left, right) -> merge, for parts that are tokens
	mergesByText map[pairKey]merge  // "gpt2": merges with a part that is not a token (usually nil)
	byteIDs      [256]int32         // "gpt2": id of each byte's one-character token, or -1
	split        splitter           // pre-tokenizer ("gpt2")
	ignoreMerges bool               // a whole word that is a token is taken as is (llama3)
	byteTokens   [256]int32         // "llama": id of <0xXX> for each byte, or -1
	specials     []int32            // CONTROL, USER_DEFINED, UNKNOWN ids, longest text first
	eog          map[int32]struct{} // end-of-generation ids

	bos, eos, eot, eom, unk, pad int32 // -1 when none
	addBOS, addEOS, spacePrefix  bool

	pieces    []byte  // rendered token pieces, back to back
	pieceOffs []int32 // pieces[pieceOffs[id]:pieceOffs[id+1]] is TokenToPiece(id)

	states sync.Pool // *scratch
}

// preTokenizer describes one tokenizer.ggml.pre family.
type preTokenizer struct {
	split        splitter
	ignoreMerges bool
	addBOS       bool // llama.cpp's default add_bos for this family
}

// preTokenizers maps tokenizer.ggml.pre values to pre-tokenizers, following llama.cpp's
// table for the three families implemented here.
var preTokenizers = func() map[string]preTokenizer {
	m := map[string]preTokenizer{}
	llama3 := preTokenizer{split: splitLlama3, ignoreMerges: true, addBOS: true}
	for _, name := range []string{"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"} {
		m[name] = llama3
	}
	for _, name := range []string{"dbrx", "smaug-bpe"} { // the llama3 expression, merges as usual
		m[name] = preTokenizer{split: splitLlama3}
	}
	for _, name := range []string{"qwen2", "deepseek-r1-qwen", "megrez", "stablelm2", "hunyuan", "kormo"} {
		m[name] = preTokenizer{split: splitQwen2}
	}
	for _, name := range []string{"gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
		"a.x-4.0", "mellum", "mpt", "olmo", "jais", "trillion", "granite-docling", "exaone4", "roberta-bpe", "jina-v1-en", "jina-v2-code"} {
		m[name] = preTokenizer{split: splitGPT2}
	}
	m[""] = preTokenizer{split: splitDefault}
	m["default"] = preTokenizer{split: splitDefault}
	return m
}()

// eotTexts, eomTexts, ... are the token texts by which llama.cpp recognises special
// tokens that the metadata does not name, in the order they are tried.
var (
	eotTexts    = []string{"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"}
	eomTexts    = []string{"<|eom_id|>"}
	fimPreTexts = []string{"<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>"}
	fimSufTexts = []string{"<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>"}
	fimMidTexts = []string{"<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>"}
	fimPadTexts = []string{"<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"}
	fimRepTexts = []string{"<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"}
	fimSepTexts = []string{"<|file_sep|>"}
	// eogTexts are always end-of-generation tokens (and forced to CONTROL).
	eogTexts = []string{"<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
		"<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
		"<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~["}
)

// New builds a tokenizer from cfg, applying llama.cpp's defaults and fix-ups:
// default special ids per model ("llama": BOS 1, EOS 2, UNK 0; "gpt2": BOS = EOS = 11),
// empty token texts renamed "[EMPTY_<id>]", special tokens recognised by their text
// (EOT, EOM, FIM) and the end-of-generation set, with every token recognised that way
// made CONTROL even if the metadata says otherwise (Qwen's "</s>"), and CONTROL tokens
// whose text contains "unused" marked UNUSED.
func New(cfg Config) (*Tokenizer, error) {
	n := len(cfg.Tokens)
	if n == 0 {
		return nil, fmt.Errorf("%w: no tokens", ErrBadConfig)
	}
	if n > 1<<31-1 {
		return nil, fmt.Errorf("%w: %d tokens", ErrBadConfig, n)
	}
	if cfg.Scores != nil && len(cfg.Scores) < n {
		return nil, fmt.Errorf("%w: %d scores for %d tokens", ErrBadConfig, len(cfg.Scores), n)
	}
	if cfg.Types != nil && len(cfg.Types) < n {
		return nil, fmt.Errorf("%w: %d token types for %d tokens", ErrBadConfig, len(cfg.Types), n)
	}
	t := &Tokenizer{
		texts:  make([]string, n),
		attrs:  make([]attr, n),
		scores: make([]float32, n),
		ids:    make(map[string]int32, n),
		eog:    map[int32]struct{}{},
	}
	t.states.New = func() any { return new(scratch) }
	for i, s := range cfg.Tokens {
		if s == "" {
			s = fmt.Sprintf("[EMPTY_%d]", i)
		}
		if j, dup := t.ids[s]; dup {
			return nil, fmt.Errorf("%w: duplicate token %q has ids %d and %d", ErrBadConfig, s, j, i)
		}
		t.ids[s] = int32(i)
		t.texts[i] = s
		t.attrs[i] = attrNormal
		if cfg.Types != nil {
			a, ok := attrOfType[TokenType(cfg.Types[i])]
			if !ok {
				a = attrUndefined
			}
			t.attrs[i] = a
		}
		if cfg.Scores != nil {
			t.scores[i] = cfg.Scores[i]
		}
	}

	// Model, defaults, pre-tokenizer.
	t.bos, t.eos, t.eot, t.eom, t.unk, t.pad = -1, -1, -1, -1, -1, -1
	switch cfg.Model {
	case "llama":
		t.spm = true
		t.bos, t.eos, t.unk = 1, 2, 0
		t.spacePrefix, t.addBOS = true, true
	case "gpt2":
		pre, ok := preTokenizers[cfg.Pre]
		if !ok {
			return nil, fmt.Errorf("%w: pre-tokenizer %q", ErrUnsupported, cfg.Pre)
		}
		t.split, t.ignoreMerges, t.addBOS = pre.split, pre.ignoreMerges, pre.addBOS
		t.bos, t.eos = 11, 11
		if cfg.Merges == nil {
			return nil, fmt.Errorf("%w: model gpt2 without tokenizer.ggml.merges", ErrBadConfig)
		}
		t.merges = make(map[uint64]merge, len(cfg.Merges))
		var joined []byte
		for i, m := range cfg.Merges {
			var left, right string
			if len(m) > 1 {
				if p := strings.IndexByte(m[1:], ' '); p >= 0 {
					left, right = m[:p+1], m[p+2:]
				}
			}
			mg := merge{rank: int32(i), id: -1}
			joined = append(append(joined[:0], left...), right...)
			if id, ok := t.ids[string(joined)]; ok {
				mg.id = id
			}
			l, lok := t.ids[left]
			r, rok := t.ids[right]
			if lok && rok {
				if _, dup := t.merges[pairID(l, r)]; !dup { // the first rank wins, as in llama.cpp
					t.merges[pairID(l, r)] = mg
				}
				continue
			}
			if t.mergesByText == nil {
				t.mergesByText = map[pairKey]merge{}
			}
			if _, dup := t.mergesByText[pairKey{left, right}]; !dup {
				t.mergesByText[pairKey{left, right}] = mg
			}
		}
		for b := range t.byteIDs {
			t.byteIDs[b] = -1
			if id, ok := t.ids[byteString[b]]; ok {
				t.byteIDs[b] = id
			}
		}
	default:
		return nil, fmt.Errorf("%w: tokenizer.ggml.model %q", ErrUnsupported, cfg.Model)
	}
	if cfg.AddSpacePrefix != nil {
		t.spacePrefix = *cfg.AddSpacePrefix
	}

	// Special ids: defaults out of range are dropped; metadata out of range is ignored.
	inRange := func(id int32) int32 {
		if id >= int32(n) {
			return -1
		}
		return id
	}
	t.bos, t.eos, t.unk = inRange(t.bos), inRange(t.eos), inRange(t.unk)
	var sep, mask, fimPre, fimSuf, fimMid, fimPad, fimRep, fimSep int32 = -1, -1, -1, -1, -1, -1, -1, -1
	for _, s := range []struct {
		v  *uint32
		id *int32
	}{
		{cfg.BOS, &t.bos}, {cfg.EOS, &t.eos}, {cfg.EOT, &t.eot}, {cfg.EOM, &t.eom}, {cfg.UNK, &t.unk},
		{cfg.SEP, &sep}, {cfg.PAD, &t.pad}, {cfg.Mask, &mask},
		{cfg.FIMPre, &fimPre}, {cfg.FIMSuf, &fimSuf}, {cfg.FIMMid, &fimMid},
		{cfg.FIMPad, &fimPad}, {cfg.FIMRep, &fimRep}, {cfg.FIMSep, &fimSep},
	} {
		if s.v != nil && uint64(*s.v) < uint64(n) {
			*s.id = int32(*s.v)
		}
	}
	if cfg.AddBOS != nil {
		t.addBOS = *cfg.AddBOS
	}
	if cfg.AddEOS != nil {
		t.addEOS = *cfg.AddEOS
	}
	if t.addBOS && t.bos < 0 {
		return nil, fmt.Errorf("%w: add_bos_token is true, but bos_token_id is not set", ErrBadConfig)
	}
	if t.addEOS && t.eos < 0 {
		return nil, fmt.Errorf("%w: add_eos_token is true, but eos_token_id is not set", ErrBadConfig)
	}

	// Special tokens recognised by their text.
	forceControl := func(id int32) { t.attrs[id] |= attrControl }
	detect := func(id *int32, texts []string) {
		if *id >= 0 {
			return
		}
		for _, s := range texts {
			if j, ok := t.ids[s]; ok {
				*id = j
				forceControl(j)
				return
			}
		}
	}
	detect(&t.eot, eotTexts)
	detect(&t.eom, eomTexts)
	detect(&fimPre, fimPreTexts)
	detect(&fimSuf, fimSufTexts)
	detect(&fimMid, fimMidTexts)
	detect(&fimPad, fimPadTexts)
	detect(&fimRep, fimRepTexts)
	detect(&fimSep, fimSepTexts)
	for i, s := range t.texts {
		if t.attrs[i]&attrControl != 0 && strings.Contains(s, "unused") {
			t.attrs[i] |= attrUnused
		}
	}
	for _, id := range []int32{fimPad, fimRep, fimSep} {
		if id >= 0 {
			t.eog[id] = struct{}{}
		}
	}
	for _, s := range eogTexts {
		if id, ok := t.ids[s]; ok {
			t.eog[id] = struct{}{}
			forceControl(id)
		}
	}
	for _, s := range []string{"<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"} { // gpt-oss
		if id, ok := t.ids[s]; ok {
			t.attrs[id] = attrUserDefined
		}
	}
	for _, id := range []int32{t.eos, t.eot, t.eom} {
		if id >= 0 {
			t.eog[id] = struct{}{}
		}
	}
	// o200k_harmony and solar-open: "<|end|>" is not end-of-generation there.
	has := func(s string) bool { id, ok := t.ids[s]; _, eog := t.eog[id]; return ok && eog }
	if end, ok := t.ids["<|end|>"]; ok && has("<|end|>") &&
		((has("<|return|>") && has("<|call|>")) || (has("<|calls|>") && has("<|flush|>")) ||
			(has("<|return|>") && has("<|calls|>")) || (has("<|call|>") && has("<|flush|>"))) {
		delete(t.eog, end)
		t.attrs[end] = attrUserDefined
	}
	// gemma4 and paddleocr: "</s>" is not end-of-generation when "<|tool_response>" is.
	if s, ok := t.ids["</s>"]; ok && has("</s>") && has("<|tool_response>") {
		delete(t.eog, s)
		t.attrs[s] = attrNormal
	}

	for i, a := range t.attrs {
		if a&(attrControl|attrUserDefined|attrUnknown) != 0 {
			t.specials = append(t.specials, int32(i))
		}
	}
	sort.SliceStable(t.specials, func(a, b int) bool {
		return len(t.texts[t.specials[a]]) > len(t.texts[t.specials[b]])
	})

	for b := range t.byteTokens {
		t.byteTokens[b] = -1
		if !t.spm {
			continue
		}
		if id, ok := t.ids[fmt.Sprintf("<0x%02X>", b)]; ok {
			t.byteTokens[b] = id
		} else if id, ok := t.ids[string([]byte{byte(b)})]; ok {
			t.byteTokens[b] = id
		} else {
			t.byteTokens[b] = t.unk
		}
	}
	t.buildPieces()
	return t, nil
}

// VocabSize returns the number of tokens.
func (t *Tokenizer) VocabSize() int { return len(t.texts) }

// BOS returns the beginning-of-sequence id, or -1 if there is none.
func (t *Tokenizer) BOS() int32 { return t.bos }

// EOS returns the end-of-sequence id, or -1 if there is none.
func (t *Tokenizer) EOS() int32 { return t.eos }

// EOT returns the end-of-turn id (from metadata or recognised by its text), or -1.
func (t *Tokenizer) EOT() int32 { return t.eot }

// PAD returns the padding id, or -1 if there is none.
func (t *Tokenizer) PAD() int32 { return t.pad }

// AddBOS reports whether Encode with addSpecial prepends BOS.
func (t *Tokenizer) AddBOS() bool { return t.addBOS }

// AddEOS reports whether Encode with addSpecial appends EOS.
func (t *Tokenizer) AddEOS() bool { return t.addEOS }

// IsEOG reports whether id ends generation (EOS, EOT, EOM and the tokens llama.cpp
// recognises by text, such as "<|im_end|>" and "<|endoftext|>").
func (t *Tokenizer) IsEOG(id int32) bool {
	_, ok := t.eog[id]
	return ok
}

// EOGs returns the end-of-generation ids in increasing order.
func (t *Tokenizer) EOGs() []int32 {
	ids := make([]int32, 0, len(t.eog))
	for id := range t.eog {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	return ids
}

// Text returns token id's text as stored in the vocabulary (byte-level or "▁"
// spelling), or "" for an id out of range.
func (t *Tokenizer) Text(id int32) string {
	if id < 0 || int(id) >= len(t.texts) {
		return ""
	}
	return t.texts[id]
}

// Type returns token id's type after llama.cpp's fix-ups (CONTROL for a NORMAL token
// recognised as special), or TypeUndefined for an id out of range.
func (t *Tokenizer) Type(id int32) TokenType {
	if id < 0 || int(id) >= len(t.texts) {
		return TypeUndefined
	}
	a := t.attrs[id]
	switch {
	case a&attrControl != 0:
		return TypeControl
	case a&attrUserDefined != 0:
		return TypeUserDefined
	case a&attrUnknown != 0:
		return TypeUnknown
	case a&attrByte != 0:
		return TypeByte
	case a&attrUnused != 0:
		return TypeUnused
	case a&attrNormal != 0:
		return TypeNormal
	}
	return TypeUndefined
}

// fragment is a piece of the input: raw text [start, end) or a special token.
type fragment struct {
	tok        int32 // -1 for text
	start, end int
}

// partition splits text around special tokens as llama.cpp's tokenizer_st_partition:
// for each special token, longest text first, every occurrence in every remaining text
// fragment, left to right. CONTROL and UNKNOWN tokens only count when parseSpecial is
// set; USER_DEFINED ones always do.
func (t *Tokenizer) partition(text string, parseSpecial bool) []fragment {
	frags := []fragment{{tok: -1, start: 0, end: len(text)}}
	var next []fragment
	for _, id := range t.specials {
		if !parseSpecial && t.attrs[id]&(attrControl|attrUnknown) != 0 {
			continue
		}
		s := t.texts[id]
		if !strings.Contains(text, s) {
			continue
		}
		next = next[:0]
		for _, f := range frags {
			if f.tok >= 0 {
				next = append(next, f)
				continue
			}
			pos := f.start
			for {
				i := strings.Index(text[pos:f.end], s)
				if i < 0 {
					break
				}
				if i > 0 {
					next = append(next, fragment{tok: -1, start: pos, end: pos + i})
				}
				next = append(next, fragment{tok: id})
				pos += i + len(s)
			}
			if pos < f.end {
				next = append(next, fragment{tok: -1, start: pos, end: f.end})
			}
		}
		frags, next = next, frags
	}
	return frags
}

// Encode returns the token ids of text. With addSpecial, BOS is prepended when the
// metadata's add_bos_token says so and EOS appended when add_eos_token does. With
// parseSpecial, the text of a CONTROL token (such as "<|im_start|>") becomes that
// token; USER_DEFINED tokens are always matched. Encode never fails: bytes that are not
// valid UTF-8 are encoded as U+FFFD by "gpt2" models and as byte tokens by "llama"
// models, as in llama.cpp.
func (t *Tokenizer) Encode(text string, addSpecial, parseSpecial bool) []int32 {
	var out []int32
	if addSpecial && t.addBOS {
		out = append(out, t.bos)
	}
	if text != "" {
		st := t.states.Get().(*scratch)
		prevSpecial := true // "llama": a space goes before the first fragment and after each special token
		for _, f := range t.partition(text, parseSpecial) {
			switch {
			case f.tok >= 0:
				out = append(out, f.tok)
				prevSpecial = true
			case t.spm:
				out = t.encodeSPM(text[f.start:f.end], t.spacePrefix && prevSpecial, st, out)
				prevSpecial = false
			default:
				out = t.encodeBPE(text[f.start:f.end], st, out)
			}
		}
		t.states.Put(st)
	}
	if addSpecial && t.addEOS {
		out = append(out, t.eos)
	}
	return out
}
