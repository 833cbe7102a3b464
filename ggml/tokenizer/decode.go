package tokenizer

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// buildPieces renders every token once (llama.cpp keeps the same cache).
func (t *Tokenizer) buildPieces() {
	t.pieceOffs = make([]int32, len(t.texts)+1)
	size := 0
	for _, s := range t.texts {
		size += len(s)
	}
	t.pieces = make([]byte, 0, size)
	for id := range t.texts {
		t.pieces = t.appendPiece(t.pieces, int32(id))
		t.pieceOffs[id+1] = int32(len(t.pieces))
	}
}

// appendPiece appends the bytes token id stands for, as llama.cpp's
// llama_token_to_piece with special = true: CONTROL, UNKNOWN and USER_DEFINED tokens
// give their text; NORMAL tokens their byte-level decoding ("gpt2") or their text with
// "▁" as a space ("llama"); BYTE tokens <0xXX> the byte; UNUSED and undefined tokens
// nothing.
func (t *Tokenizer) appendPiece(dst []byte, id int32) []byte {
	text, a := t.texts[id], t.attrs[id]
	switch {
	case a&(attrControl|attrUnknown|attrUserDefined) != 0:
		return append(dst, text...)
	case a&attrNormal != 0 && t.spm:
		return append(dst, strings.ReplaceAll(text, spaceMark, " ")...)
	case a&attrNormal != 0:
		return appendByteDecoded(dst, text)
	case a&attrByte != 0:
		if len(text) >= 5 {
			if b, err := strconv.ParseUint(text[3:5], 16, 8); err == nil {
				return append(dst, byte(b))
			}
		}
	}
	return dst
}

// appendByteDecoded maps GPT-2 byte-alphabet text back to bytes. A character outside
// the alphabet is written as llama.cpp writes it: "[UNK_BYTE_0x<hex of its UTF-8>" then
// the whole text then "]".
func appendByteDecoded(dst []byte, text string) []byte {
	for i := 0; i < len(text); {
		r, n := decodeCpt(text, i)
		i += n
		if r >= 0 && r < rune(len(runeByte)) && runeByte[r] >= 0 {
			dst = append(dst, byte(runeByte[r]))
			continue
		}
		dst = append(dst, "[UNK_BYTE_0x"...)
		for _, c := range appendCpt(nil, r) {
			dst = strconv.AppendUint(dst, uint64(c>>4), 16)
			dst = strconv.AppendUint(dst, uint64(c&15), 16)
		}
		dst = append(dst, text...)
		dst = append(dst, ']')
	}
	return dst
}

// TokenToPiece returns the bytes token id stands for (see llama.cpp's
// llama_token_to_piece with special = true): special tokens give their text, other
// tokens the bytes they encode, which may be part of a UTF-8 sequence. An id out of
// range gives nil. The returned slice is shared and must not be modified.
func (t *Tokenizer) TokenToPiece(id int32) []byte {
	if id < 0 || int(id) >= len(t.texts) {
		return nil
	}
	a, b := t.pieceOffs[id], t.pieceOffs[id+1]
	return t.pieces[a:b:b]
}

// Decode returns the text of ids: their pieces one after another, as llama.cpp's
// llama_detokenize with remove_special = false and unparse_special = true (special
// tokens are rendered as their text), except that spaces are never "cleaned up". For
// "llama" models with add_space_prefix, one leading space of the first piece is
// dropped, so that Decode(Encode(s, false, false)) == s. Ids out of range are skipped.
// The result is the raw bytes and may be invalid UTF-8 if ids end inside a sequence.
func (t *Tokenizer) Decode(ids []int32) string {
	var b []byte
	for i, id := range ids {
		p := t.TokenToPiece(id)
		if i == 0 && t.spm && t.spacePrefix && len(p) > 0 && p[0] == ' ' {
			p = p[1:]
		}
		b = append(b, p...)
	}
	return string(b)
}

// A Decoder turns a stream of ids into text, one id at a time, without ever splitting a
// UTF-8 sequence: bytes of a character whose token has not arrived yet are held back.
// It is not safe for concurrent use.
type Decoder struct {
	t       *Tokenizer
	pending []byte // the start of an incomplete UTF-8 sequence (at most 3 bytes)
	out     []byte // scratch for Next's result
}

// NewDecoder returns a Decoder for t's tokens.
func (t *Tokenizer) NewDecoder() *Decoder { return &Decoder{t: t} }

// Next adds token id and returns the text that is now complete: valid UTF-8, with each
// byte that cannot start or continue a valid sequence replaced by U+FFFD. The result
// may be empty (the token's bytes are held back, or it renders as nothing).
func (d *Decoder) Next(id int32) string {
	d.pending = append(d.pending, d.t.TokenToPiece(id)...)
	buf := d.pending
	out := d.out[:0]
	for len(buf) > 0 {
		if !utf8.FullRune(buf) {
			break // a valid prefix: wait for the rest
		}
		r, n := utf8.DecodeRune(buf)
		if r == utf8.RuneError && n == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, buf[:n]...)
		}
		buf = buf[n:]
	}
	d.pending = append(d.pending[:0], buf...)
	d.out = out
	return string(out)
}

// Flush returns what is held back, U+FFFD for each byte of an incomplete sequence, and
// resets the Decoder.
func (d *Decoder) Flush() string {
	s := strings.Repeat("\uFFFD", len(d.pending))
	d.pending = d.pending[:0]
	return s
}
