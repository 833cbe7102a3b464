package tokenizer_test

import (
	"fmt"
	"log"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/tokenizer"
)

func Example() {
	f, err := gguf.Open("../../testdata/golden/vocab-qwen3.gguf")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	tok, err := tokenizer.FromGGUF(f)
	if err != nil {
		log.Fatal(err)
	}
	ids := tok.Encode("<|im_start|>user\nHello world<|im_end|>", true, true)
	fmt.Println(ids)

	dec := tok.NewDecoder()
	for _, id := range ids {
		fmt.Printf("%q ", dec.Next(id))
	}
	fmt.Println(tok.IsEOG(ids[len(ids)-1]))
	// Output:
	// [151644 872 198 9707 1879 151645]
	// "<|im_start|>" "user" "\n" "Hello" " world" "<|im_end|>" true
}
