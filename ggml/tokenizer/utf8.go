package tokenizer

import "unicode/utf8"

// llama.cpp decodes text into code points with a permissive decoder: it checks the
// lead byte and that the continuation bytes are 10xxxxxx, but not for overlong forms or
// surrogates. A byte that starts no valid sequence becomes U+FFFD and decoding goes on
// at the next byte. Words are then re-encoded from the code points. The functions here
// reproduce that, so that invalid input is tokenized as llama.cpp tokenizes it.

// seqLen returns the length of the UTF-8 sequence that lead byte b announces, as
// llama.cpp's unicode_len_utf8 does: 1 for ASCII and for stray continuation bytes.
func seqLen(b byte) int {
	switch b >> 4 {
	case 0xC, 0xD:
		return 2
	case 0xE:
		return 3
	case 0xF:
		return 4
	}
	return 1
}

// decodeCpt decodes one code point at s[i:] with llama.cpp's rules and returns it and
// the number of bytes consumed. Invalid sequences give (utf8.RuneError, 1). Code points
// above U+10FFFF (which llama.cpp cannot re-encode) also give U+FFFD.
func decodeCpt(s string, i int) (rune, int) {
	b0 := s[i]
	switch {
	case b0&0x80 == 0:
		return rune(b0), 1
	case b0&0x40 == 0:
		return utf8.RuneError, 1
	case b0&0x20 == 0:
		if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
			return utf8.RuneError, 1
		}
		return rune(b0&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	case b0&0x10 == 0:
		if i+2 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
			return utf8.RuneError, 1
		}
		return rune(b0&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	case b0&0x08 == 0:
		if i+3 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 || s[i+3]&0xC0 != 0x80 {
			return utf8.RuneError, 1
		}
		r := rune(b0&0x07)<<18 | rune(s[i+1]&0x3F)<<12 | rune(s[i+2]&0x3F)<<6 | rune(s[i+3]&0x3F)
		if r > 0x10FFFF {
			return utf8.RuneError, 4
		}
		return r, 4
	}
	return utf8.RuneError, 1
}

// appendCpt appends r in UTF-8 the way llama.cpp's unicode_cpt_to_utf8 does (surrogates
// are encoded like any other code point).
func appendCpt(dst []byte, r rune) []byte {
	switch {
	case r < 0x80:
		return append(dst, byte(r))
	case r < 0x800:
		return append(dst, 0xC0|byte(r>>6), 0x80|byte(r&0x3F))
	case r < 0x10000:
		return append(dst, 0xE0|byte(r>>12), 0x80|byte(r>>6&0x3F), 0x80|byte(r&0x3F))
	}
	return append(dst, 0xF0|byte(r>>18), 0x80|byte(r>>12&0x3F), 0x80|byte(r>>6&0x3F), 0x80|byte(r&0x3F))
}

// cptWidth is the number of bytes appendCpt writes for r.
func cptWidth(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	}
	return 4
}

// decodeText decodes s into code points (appended to cpts) and returns the byte string
// those code points re-encode to: s itself when every sequence re-encodes to the same
// bytes (all valid UTF-8 does), otherwise a cleaned copy with U+FFFD in place of
// invalid bytes.
func decodeText(s string, cpts []rune) (string, []rune) {
	clean := true
	for i := 0; i < len(s); {
		r, n := decodeCpt(s, i)
		if n != cptWidth(r) { // an invalid byte (U+FFFD is 3 bytes) or an overlong form
			clean = false
		}
		cpts = append(cpts, r)
		i += n
	}
	if clean {
		return s, cpts
	}
	buf := make([]byte, 0, len(s)+8)
	for _, r := range cpts {
		buf = appendCpt(buf, r)
	}
	return string(buf), cpts
}
