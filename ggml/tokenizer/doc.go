// Package tokenizer turns text into token ids and back the way llama.cpp does, from a
// model's GGUF tokenizer metadata: byte-level BPE (tokenizer.ggml.model "gpt2", with the
// gpt2, llama3 and qwen2 pre-tokenizers) and SentencePiece-style BPE ("llama", with byte
// fallback).
//
// The common case is
//
//	tok, err := tokenizer.FromGGUF(f)         // f is an open *gguf.File
//	ids := tok.Encode(prompt, true, true)     // add BOS per metadata, parse <|im_start|> etc.
//	dec := tok.NewDecoder()
//	for _, id := range generated {
//		fmt.Print(dec.Next(id))               // complete UTF-8 only
//	}
//	fmt.Print(dec.Flush())
//
// Encoding follows llama.cpp's llama_tokenize step by step, so ids are identical to its
// ids (checked against testdata/golden):
//
//  1. The text is split around special tokens (CONTROL, USER_DEFINED and UNKNOWN
//     types; CONTROL and UNKNOWN only when parseSpecial is set), longest token text
//     first, every occurrence, left to right.
//  2. Each remaining text fragment is tokenized on its own: for "gpt2" it is cut into
//     words by the pre-tokenizer named in tokenizer.ggml.pre (hand-written state
//     machines equal to llama.cpp's regular expressions), each word is mapped byte by
//     byte to GPT-2's printable alphabet and merged pair by pair in merge-rank order;
//     for "llama" a space is prepended when the fragment is the first one or follows a
//     special token, spaces become U+2581 and pairs are merged highest score first,
//     with pieces missing from the vocabulary emitted as <0xXX> byte tokens.
//  3. BOS (and EOS) are added when asked for and the metadata says so.
//
// A Tokenizer is immutable after New and safe for concurrent use; a Decoder is not.
package tokenizer
