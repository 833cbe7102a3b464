package tokenizer

// GPT-2's byte-level alphabet: every byte maps to one printable rune, so that BPE works
// on visible characters. Bytes that are printable Latin-1 ('!'..'~', '¡'..'¬',
// '®'..'ÿ') map to themselves; the other 68 bytes map, in increasing byte order, to
// U+0100, U+0101, ... U+0143. A space (0x20) becomes 'Ġ' (U+0120), '\n' becomes 'Ċ'.

// byteRune[b] is the rune byte b maps to.
var byteRune [256]rune

// byteString[b] is byteRune[b] encoded as UTF-8 (1 or 2 bytes).
var byteString [256]string

// runeByte[r] is the byte rune r stands for, or -1; indexed by runes below 0x144.
var runeByte [0x144]int16

func init() {
	for i := range runeByte {
		runeByte[i] = -1
	}
	n := rune(0)
	for b := 0; b < 256; b++ {
		r := rune(b)
		printable := (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
		if !printable {
			r = 0x100 + n
			n++
		}
		byteRune[b] = r
		byteString[b] = string(r)
		runeByte[r] = int16(b)
	}
}
