// Package gguf reads and writes GGUF v3 model files: header, metadata, tensor infos and
// the tensor data section, with tensors served as views into a read-only mapping.
//
// The common case is
//
//	f, err := gguf.Open("model.gguf")
//	if err != nil { ... }
//	defer f.Close()
//	arch, _ := f.String("general.architecture")
//	info, data, ok := f.Tensor("blk.0.attn_q.weight") // data is a view into the mapping
//
// Open maps the whole file read-only and never copies tensor data: every []byte
// returned by File.Tensor or held in File.Data, and every Value, points into the
// mapping and is valid only until Close. Values decoded by the accessors (strings,
// numbers, slices returned by Strings, Float32s, Int32s) are copies and stay valid.
// A malformed file gives an error that wraps one of the sentinel errors below
// (ErrBadMagic, ErrTruncated, ...), never a panic or an allocation larger than the
// file justifies. On Linux the mapping is advised for 2 MiB pages; OpenHugePages
// copies the file into 2 MiB pages instead, for decode speed whatever the page
// cache holds.
//
// File layout (all integers little-endian; version 2 has the same layout as 3):
//
//	offset  size  field
//	0       4     magic "GGUF" (0x47 0x47 0x55 0x46)
//	4       4     version (uint32): 2 or 3
//	8       8     tensor count (uint64)
//	16      8     metadata kv count (uint64)
//	24      ...   metadata kvs:  key (string), value type (uint32), value
//	        ...   tensor infos:  name (string), n_dims (uint32), dims (n_dims x uint64,
//	                             ggml order: dims[0] is the row length),
//	                             type (uint32, a ggml type), offset (uint64, relative to
//	                             the data section, a multiple of the alignment)
//	        ...   zero padding up to a multiple of the alignment
//	        ...   data section: tensor data, each tensor padded to the alignment
//
//	string: length (uint64), then that many bytes (UTF-8, no terminator)
//	array:  element type (uint32), count (uint64), then count values of that type
//
// The alignment is the metadata key general.alignment (a power of two), 32 if absent.
//
// Writer writes the same format (always version 3) and streams tensor data from
// callbacks, so a model larger than memory can be written tensor by tensor.
package gguf
