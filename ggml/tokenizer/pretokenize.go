package tokenizer

import "unicode"

// Pre-tokenizers cut a text fragment into words before BPE. llama.cpp defines them as
// regular expressions with lookahead (\s+(?!\S)), which Go's regexp lacks; the
// splitters below are small state machines over code points that give the same words.
// \p{L} is Unicode category L, \p{N} category N and \s the Unicode White_Space set
// (what unicode.IsSpace reports), as in llama.cpp.
//
// A splitter appends the lengths (in code points) of the words of cpts to out.

// class is what the expressions need to know about a code point.
type class uint8

const (
	clsOther     class = iota // assigned, not a letter, number or white space
	clsLetter                 // \p{L}
	clsNumber                 // \p{N}
	clsSpace                  // \s
	clsUndefined              // unassigned code point
)

// asciiClass is class for the code points below 0x80.
var asciiClass [0x80]class

func init() {
	for r := rune(0); r < 0x80; r++ {
		asciiClass[r] = classifySlow(r)
	}
}

func classifySlow(r rune) class {
	switch {
	case unicode.IsSpace(r):
		return clsSpace
	case unicode.IsLetter(r):
		return clsLetter
	case unicode.IsNumber(r):
		return clsNumber
	case unicode.In(r, unicode.M, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs):
		return clsOther
	}
	return clsUndefined
}

func classify(r rune) class {
	if r >= 0 && r < 0x80 {
		return asciiClass[r]
	}
	return classifySlow(r)
}

// splitter cuts cpts (with their classes cls) into words, appending word lengths.
type splitter func(cpts []rune, cls []class, out []int) []int

// lowerASCII lowers A-Z; the contraction alternatives only involve ASCII letters.
func lowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// splitLlama3Family implements
//
//	(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|
//	\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// with maxDigits 3 for llama3 and 1 for qwen2. undefinedIsOther says whether an
// unassigned code point matches [^\s\p{L}\p{N}]: it does in qwen2, which llama.cpp runs
// through std::regex, and not in llama3, which llama.cpp runs through a hand-written
// matcher that leaves such code points as one-code-point words.
func splitLlama3Family(cpts []rune, cls []class, out []int, maxDigits int, undefinedIsOther bool) []int {
	n := len(cpts)
	isOther := func(i int) bool {
		return i < n && (cls[i] == clsOther || (undefinedIsOther && cls[i] == clsUndefined))
	}
	isCRLF := func(i int) bool { return i < n && (cpts[i] == '\r' || cpts[i] == '\n') }
	pos := 0
	for pos < n {
		start := pos
		c := cpts[pos]
		switch {
		case c == '\'' && pos+1 < n && contraction(cpts[pos+1:]) > 0:
			pos += 1 + contraction(cpts[pos+1:])
		case c != '\r' && c != '\n' && cls[pos] != clsNumber &&
			(cls[pos] == clsLetter || (pos+1 < n && cls[pos+1] == clsLetter)):
			// [^\r\n\p{L}\p{N}]?\p{L}+
			pos++
			for pos < n && cls[pos] == clsLetter {
				pos++
			}
		case cls[pos] == clsNumber:
			// \p{N}{1,maxDigits}
			for pos < n && cls[pos] == clsNumber && pos-start < maxDigits {
				pos++
			}
		case isOther(pos) || (c == ' ' && isOther(pos+1)):
			//  ?[^\s\p{L}\p{N}]+[\r\n]*
			if c == ' ' {
				pos++
			}
			for isOther(pos) {
				pos++
			}
			for isCRLF(pos) {
				pos++
			}
		default:
			nws, endCRLF := 0, -1
			for pos+nws < n && cls[pos+nws] == clsSpace {
				if isCRLF(pos + nws) {
					endCRLF = pos + nws + 1
				}
				nws++
			}
			switch {
			case endCRLF > 0: // \s*[\r\n]+
				pos = endCRLF
			case nws > 1 && pos+nws < n: // \s+(?!\S)
				pos += nws - 1
			case nws > 0: // \s+
				pos += nws
			default: // matches nothing: a word of its own
				pos++
			}
		}
		out = append(out, pos-start)
	}
	return out
}

// contraction returns the length of the contraction suffix (s, t, re, ve, m, ll, d in
// any case) at the start of after, the text following an apostrophe, or 0.
func contraction(after []rune) int {
	c1 := lowerASCII(after[0])
	switch c1 {
	case 's', 't', 'm', 'd':
		return 1
	}
	if len(after) < 2 {
		return 0
	}
	c2 := lowerASCII(after[1])
	if (c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l') {
		return 2
	}
	return 0
}

func splitQwen2(cpts []rune, cls []class, out []int) []int {
	return splitLlama3Family(cpts, cls, out, 1, true)
}

func splitLlama3(cpts []rune, cls []class, out []int) []int {
	return splitLlama3Family(cpts, cls, out, 3, false)
}

// splitGPT2 implements GPT-2's
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)
//
// as llama.cpp's hand-written matcher does (lower-case contractions only; text the
// expression does not match, such as a lone tab before a letter, becomes a word of its
// own; unassigned code points are one-code-point words).
func splitGPT2(cpts []rune, cls []class, out []int) []int {
	n := len(cpts)
	clsAt := func(i int) class {
		if i < n {
			return cls[i]
		}
		return clsUndefined
	}
	pos := 0
	for pos < n {
		start := pos
		c := cpts[pos]
		if c == '\'' && pos+1 < n {
			c1 := cpts[pos+1]
			if c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd' {
				pos += 2
				out = append(out, 2)
				continue
			}
			if pos+2 < n {
				c2 := cpts[pos+2]
				if (c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l') {
					pos += 3
					out = append(out, 3)
					continue
				}
			}
		}
		next := clsAt(pos)
		if c == ' ' {
			next = clsAt(pos + 1)
		}
		switch next {
		case clsLetter, clsNumber, clsOther:
			if c == ' ' {
				pos++
			}
			for clsAt(pos) == next {
				pos++
			}
		default:
			nws := 0
			for clsAt(pos+nws) == clsSpace {
				nws++
			}
			switch {
			case nws > 1 && pos+nws < n:
				pos += nws - 1
			case nws > 0:
				pos += nws
			default:
				pos++
			}
		}
		out = append(out, pos-start)
	}
	return out
}

// splitRuns implements an expression X+ (for a one-code-point class X) the way
// llama.cpp applies an expression without a hand-written matcher: every match is a
// word and so is every stretch of text between matches.
func splitRuns(cpts []rune, out []int, match func(r rune) bool) []int {
	n := len(cpts)
	for pos := 0; pos < n; {
		start := pos
		m := match(cpts[pos])
		for pos < n && match(cpts[pos]) == m {
			pos++
		}
		out = append(out, pos-start)
	}
	return out
}

// splitDigits3 implements [0-9][0-9][0-9]: each run of ASCII digits gives words of
// three digits from its left; what is left over joins the surrounding unmatched text.
func splitDigits3(cpts []rune, out []int) []int {
	n := len(cpts)
	gap := 0 // start of the unmatched text before pos
	for pos := 0; pos < n; {
		if pos+3 <= n && isDigit(cpts[pos]) && isDigit(cpts[pos+1]) && isDigit(cpts[pos+2]) {
			if pos > gap {
				out = append(out, pos-gap)
			}
			out = append(out, 3)
			pos += 3
			gap = pos
			continue
		}
		pos++
	}
	if n > gap {
		out = append(out, n-gap)
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isDefaultPunct is [\p{P}\$\+<=>\^~\|].
func isDefaultPunct(r rune) bool {
	switch r {
	case '$', '+', '<', '=', '>', '^', '~', '|':
		return true
	}
	return unicode.IsPunct(r)
}

// splitDefault is llama.cpp's pre-tokenizer for tokenizer.ggml.pre "default" (or
// missing): four expressions applied one after the other, each to the words of the
// previous one: [\p{P}\$\+<=>\^~\|]+, then GPT-2's, then \p{N}+, then [0-9][0-9][0-9].
func splitDefault(cpts []rune, cls []class, out []int) []int {
	words := splitRuns(cpts, nil, isDefaultPunct)
	words = refine(cpts, cls, words, splitGPT2)
	words = refine(cpts, cls, words, func(c []rune, _ []class, o []int) []int {
		return splitRuns(c, o, unicode.IsNumber)
	})
	words = refine(cpts, cls, words, func(c []rune, _ []class, o []int) []int {
		return splitDigits3(c, o)
	})
	return append(out, words...)
}

// refine applies split to each word (given by its length) of cpts.
func refine(cpts []rune, cls []class, words []int, split splitter) []int {
	var out []int
	pos := 0
	for _, w := range words {
		out = split(cpts[pos:pos+w], cls[pos:pos+w], out)
		pos += w
	}
	return out
}
