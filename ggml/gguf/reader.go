package gguf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/limnx/limnx/ggml/quant"
)

// Sentinel errors. Every error from Parse wraps one of them; Open returns
// those, or an error wrapping the os/syscall error for a file it cannot read
// or map.
var (
	// ErrBadMagic means the file does not start with "GGUF".
	ErrBadMagic = errors.New("not a GGUF file (bad magic)")
	// ErrVersion means the GGUF version is not 2 or 3.
	ErrVersion = errors.New("unsupported GGUF version")
	// ErrTruncated means the file ends inside the header, the metadata, the tensor
	// infos or a tensor's data, or a count or length asks for more bytes than are left.
	ErrTruncated = errors.New("truncated GGUF file")
	// ErrTooLarge means a size or element count overflows, or arrays are nested
	// too deeply. (A count or length larger than the rest of the file is
	// ErrTruncated.)
	ErrTooLarge = errors.New("size too large")
	// ErrValueType means a metadata value has an unknown type tag, or a known key
	// (general.alignment) has the wrong type.
	ErrValueType = errors.New("bad metadata value type")
	// ErrDuplicate means two metadata keys or two tensors have the same name.
	ErrDuplicate = errors.New("duplicate name")
	// ErrAlignment means general.alignment is not a power of two, or a tensor's
	// offset is not a multiple of it.
	ErrAlignment = errors.New("bad alignment")
	// ErrTensorType means a tensor has a type number that is not a known ggml type.
	ErrTensorType = errors.New("unknown tensor type")
	// ErrShape means a tensor has too many dimensions, or a row length that is not a
	// multiple of its type's block size.
	ErrShape = errors.New("bad tensor shape")
)

// Magic is the first four bytes of every GGUF file.
const Magic = "GGUF"

// DefaultAlignment is the alignment of the data section and of each tensor's data
// when general.alignment is absent.
const DefaultAlignment = 32

// KeyAlignment is the metadata key that sets the alignment.
const KeyAlignment = "general.alignment"

// MaxDims is the largest number of dimensions a tensor may have (GGML_MAX_DIMS).
const MaxDims = 4

// maxDepth bounds the nesting of arrays in metadata.
const maxDepth = 8

// maxAlignment bounds general.alignment (1 GiB): larger values are rejected.
const maxAlignment = 1 << 30

// File is a parsed GGUF file. Its slices and Values point into the parsed bytes
// (the mapping, for Open) and are valid until Close. A File is immutable after
// Parse and safe for concurrent reads.
type File struct {
	// Version is the GGUF version (2 or 3).
	Version uint32
	// Alignment is general.alignment, or DefaultAlignment.
	Alignment int
	// KV is the metadata in file order.
	KV []KV
	// Tensors is the tensor infos in file order.
	Tensors []TensorInfo
	// Data is the tensor data section: from the aligned end of the tensor infos to
	// the end of the file (empty for a file with no tensors that ends earlier).
	Data []byte
	// DataOffset is the offset of Data in the file.
	DataOffset int64

	kvIndex     map[string]int
	tensorIndex map[string]int
	unmap       func() error // set by Open
}

// KV is one metadata key/value pair.
type KV struct {
	Key   string
	Value Value
}

// TensorInfo describes one tensor.
type TensorInfo struct {
	// Name is the tensor's name ("blk.0.attn_q.weight").
	Name string
	// Dims are the dimensions in ggml order: Dims[0] is the row length.
	Dims []uint64
	// Type is the element type.
	Type quant.Type
	// Offset is the offset of the tensor's data, relative to the data section.
	Offset uint64
	// Size is the size of the tensor's data in bytes.
	Size uint64
}

// NumElements returns the product of the dimensions.
func (t *TensorInfo) NumElements() uint64 {
	n := uint64(1)
	for _, d := range t.Dims {
		n *= d
	}
	return n
}

// Rows returns the number of rows: the product of Dims[1:] (1 for a vector
// or a scalar).
func (t *TensorInfo) Rows() uint64 {
	n := uint64(1)
	for i := 1; i < len(t.Dims); i++ {
		n *= t.Dims[i]
	}
	return n
}

// decoder reads little-endian fields from b, tracking the offset for messages.
type decoder struct {
	b   []byte
	off int
}

func (d *decoder) need(n uint64, what string) error {
	if n > uint64(len(d.b)-d.off) {
		return fmt.Errorf("gguf: %s at offset %d: need %d bytes, %d left: %w", what, d.off, n, len(d.b)-d.off, ErrTruncated)
	}
	return nil
}

func (d *decoder) u32(what string) (uint32, error) {
	if err := d.need(4, what); err != nil {
		return 0, err
	}
	x := binary.LittleEndian.Uint32(d.b[d.off:])
	d.off += 4
	return x, nil
}

func (d *decoder) u64(what string) (uint64, error) {
	if err := d.need(8, what); err != nil {
		return 0, err
	}
	x := binary.LittleEndian.Uint64(d.b[d.off:])
	d.off += 8
	return x, nil
}

// str returns a string field as a view into b.
func (d *decoder) str(what string) ([]byte, error) {
	n, err := d.u64(what + " length")
	if err != nil {
		return nil, err
	}
	if err := d.need(n, what); err != nil {
		return nil, err
	}
	s := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return s, nil
}

// decodeValue decodes a value of type t from the start of b and returns it and the
// rest of b. depth counts array nesting (1 for a top-level value).
func decodeValue(t ValueType, b []byte, depth int) (Value, []byte, error) {
	if sz := t.fixedSize(); sz > 0 {
		if len(b) < sz {
			return Value{}, nil, fmt.Errorf("%s value needs %d bytes, %d left: %w", t, sz, len(b), ErrTruncated)
		}
		return Value{Type: t, raw: b[:sz]}, b[sz:], nil
	}
	switch t {
	case TypeString:
		if len(b) < 8 {
			return Value{}, nil, fmt.Errorf("string length needs 8 bytes, %d left: %w", len(b), ErrTruncated)
		}
		n := binary.LittleEndian.Uint64(b)
		b = b[8:]
		if n > uint64(len(b)) {
			return Value{}, nil, fmt.Errorf("string of %d bytes, %d left: %w", n, len(b), ErrTruncated)
		}
		return Value{Type: TypeString, raw: b[:n]}, b[n:], nil
	case TypeArray:
		if depth > maxDepth {
			return Value{}, nil, fmt.Errorf("arrays nested deeper than %d: %w", maxDepth, ErrTooLarge)
		}
		if len(b) < 12 {
			return Value{}, nil, fmt.Errorf("array header needs 12 bytes, %d left: %w", len(b), ErrTruncated)
		}
		elem := ValueType(binary.LittleEndian.Uint32(b))
		n := binary.LittleEndian.Uint64(b[4:])
		b = b[12:]
		if !elem.Valid() {
			return Value{}, nil, fmt.Errorf("array element type %d: %w", uint32(elem), ErrValueType)
		}
		// Every element takes at least minSize bytes, which bounds n by the bytes left
		// before anything is allocated or walked.
		minSize := uint64(elem.fixedSize())
		switch elem {
		case TypeString:
			minSize = 8
		case TypeArray:
			minSize = 12
		}
		if n > uint64(len(b))/minSize {
			return Value{}, nil, fmt.Errorf("array of %d %s needs at least %d bytes per element, %d left: %w", n, elem, minSize, len(b), ErrTruncated)
		}
		if sz := elem.fixedSize(); sz > 0 {
			nb := int(n) * sz
			return Value{Type: TypeArray, Elem: elem, n: int(n), raw: b[:nb]}, b[nb:], nil
		}
		rest := b
		for i := uint64(0); i < n; i++ {
			var err error
			if _, rest, err = decodeValue(elem, rest, depth+1); err != nil {
				return Value{}, nil, fmt.Errorf("array element %d: %w", i, err)
			}
		}
		used := len(b) - len(rest)
		return Value{Type: TypeArray, Elem: elem, n: int(n), raw: b[:used]}, rest, nil
	}
	return Value{}, nil, fmt.Errorf("value type %d: %w", uint32(t), ErrValueType)
}

// Parse parses a GGUF file held in data. The File points into data, which must not
// be modified while the File is in use. Parse never panics and allocates at most
// in proportion to len(data).
func Parse(data []byte) (*File, error) {
	d := &decoder{b: data}
	if len(data) < 4 {
		return nil, fmt.Errorf("gguf: file of %d bytes has no magic: %w", len(data), ErrTruncated)
	}
	if string(data[:4]) != Magic {
		return nil, fmt.Errorf("gguf: magic %q, want %q: %w", data[:4], Magic, ErrBadMagic)
	}
	d.off = 4
	version, err := d.u32("version")
	if err != nil {
		return nil, err
	}
	if version != 2 && version != 3 {
		hint := ""
		if version&0xffff == 0 && version != 0 {
			hint = " (a big-endian file?)"
		}
		return nil, fmt.Errorf("gguf: version %d%s, want 2 or 3: %w", version, hint, ErrVersion)
	}
	nTensors, err := d.u64("tensor count")
	if err != nil {
		return nil, err
	}
	nKV, err := d.u64("metadata kv count")
	if err != nil {
		return nil, err
	}
	// Minimum encoded sizes bound the counts before allocating:
	// a kv is a key length (8), a type (4) and at least 1 byte of value;
	// a tensor info is a name length (8), n_dims (4), type (4) and offset (8).
	left := uint64(len(data) - d.off)
	if nKV > left/13 {
		return nil, fmt.Errorf("gguf: %d metadata kvs cannot fit in the %d bytes left: %w", nKV, left, ErrTruncated)
	}
	if nTensors > left/24 {
		return nil, fmt.Errorf("gguf: %d tensor infos cannot fit in the %d bytes left: %w", nTensors, left, ErrTruncated)
	}
	f := &File{
		Version:     version,
		Alignment:   DefaultAlignment,
		KV:          make([]KV, 0, nKV),
		Tensors:     make([]TensorInfo, 0, nTensors),
		kvIndex:     make(map[string]int, nKV),
		tensorIndex: make(map[string]int, nTensors),
	}

	for i := uint64(0); i < nKV; i++ {
		key, err := d.str(fmt.Sprintf("metadata kv %d key", i))
		if err != nil {
			return nil, err
		}
		k := string(key)
		tag, err := d.u32(fmt.Sprintf("metadata kv %d (%q) type", i, short(k)))
		if err != nil {
			return nil, err
		}
		v, rest, err := decodeValue(ValueType(tag), d.b[d.off:], 1)
		if err != nil {
			return nil, fmt.Errorf("gguf: metadata kv %d (%q) at offset %d: %w", i, short(k), d.off, err)
		}
		d.off = len(d.b) - len(rest)
		if _, dup := f.kvIndex[k]; dup {
			return nil, fmt.Errorf("gguf: metadata kv %d: key %q appears twice: %w", i, short(k), ErrDuplicate)
		}
		f.kvIndex[k] = len(f.KV)
		f.KV = append(f.KV, KV{Key: k, Value: v})
	}

	if v, ok := f.Lookup(KeyAlignment); ok {
		a, isInt := v.AsUint()
		if !isInt {
			return nil, fmt.Errorf("gguf: %s has type %s, want an unsigned integer: %w", KeyAlignment, v.Type, ErrValueType)
		}
		if a == 0 || a&(a-1) != 0 || a > maxAlignment {
			return nil, fmt.Errorf("gguf: %s = %d, want a power of two <= %d: %w", KeyAlignment, a, maxAlignment, ErrAlignment)
		}
		f.Alignment = int(a)
	}
	align := uint64(f.Alignment)

	for i := uint64(0); i < nTensors; i++ {
		name, err := d.str(fmt.Sprintf("tensor info %d name", i))
		if err != nil {
			return nil, err
		}
		ti := TensorInfo{Name: string(name)}
		ctx := fmt.Sprintf("tensor info %d (%q)", i, short(ti.Name))
		nDims, err := d.u32(ctx + " n_dims")
		if err != nil {
			return nil, err
		}
		if nDims > MaxDims {
			return nil, fmt.Errorf("gguf: %s: %d dimensions, at most %d: %w", ctx, nDims, MaxDims, ErrShape)
		}
		ti.Dims = make([]uint64, nDims)
		for j := range ti.Dims {
			if ti.Dims[j], err = d.u64(ctx + " dims"); err != nil {
				return nil, err
			}
		}
		typ, err := d.u32(ctx + " type")
		if err != nil {
			return nil, err
		}
		ti.Type = quant.Type(typ)
		if ti.Offset, err = d.u64(ctx + " offset"); err != nil {
			return nil, err
		}
		if ti.Size, err = tensorSize(ti.Type, ti.Dims); err != nil {
			return nil, fmt.Errorf("gguf: %s: %w", ctx, err)
		}
		if ti.Offset%align != 0 {
			return nil, fmt.Errorf("gguf: %s: offset %d is not a multiple of the alignment %d: %w", ctx, ti.Offset, align, ErrAlignment)
		}
		if _, dup := f.tensorIndex[ti.Name]; dup {
			return nil, fmt.Errorf("gguf: %s: name appears twice: %w", ctx, ErrDuplicate)
		}
		f.tensorIndex[ti.Name] = len(f.Tensors)
		f.Tensors = append(f.Tensors, ti)
	}

	// The data section starts at the next multiple of the alignment.
	dataOff := (uint64(d.off) + align - 1) / align * align
	if dataOff > uint64(len(data)) {
		if len(f.Tensors) > 0 {
			return nil, fmt.Errorf("gguf: data section at offset %d past end of file (%d bytes): %w", dataOff, len(data), ErrTruncated)
		}
		dataOff = uint64(len(data))
	}
	f.DataOffset = int64(dataOff)
	f.Data = data[dataOff:len(data):len(data)]
	for i := range f.Tensors {
		ti := &f.Tensors[i]
		end, carry := bits.Add64(ti.Offset, ti.Size, 0)
		if carry != 0 || end > uint64(len(f.Data)) {
			return nil, fmt.Errorf("gguf: tensor %q: data [%d, +%d) past end of data section (%d bytes at file offset %d): %w",
				ti.Name, ti.Offset, ti.Size, len(f.Data), dataOff, ErrTruncated)
		}
	}
	return f, nil
}

// short shortens a name from the file for an error message.
func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// tensorSize returns the byte size of a tensor of type t and dims, checking that
// the row length is a multiple of the block size and that nothing overflows.
func tensorSize(t quant.Type, dims []uint64) (uint64, error) {
	blockSize, typeSize, ok := layoutOf(t)
	if !ok {
		return 0, fmt.Errorf("type %d: %w", uint32(t), ErrTensorType)
	}
	rowLen := uint64(1)
	if len(dims) > 0 {
		rowLen = dims[0]
	}
	if rowLen%blockSize != 0 {
		return 0, fmt.Errorf("row length %d is not a multiple of %v's block size %d: %w", rowLen, t, blockSize, ErrShape)
	}
	hi, size := bits.Mul64(rowLen/blockSize, typeSize)
	if hi != 0 {
		return 0, fmt.Errorf("dims %v of %v: size overflows: %w", dims, t, ErrTooLarge)
	}
	for i := 1; i < len(dims); i++ {
		if hi, size = bits.Mul64(size, dims[i]); hi != 0 || size > math.MaxInt64 {
			return 0, fmt.Errorf("dims %v of %v: size overflows: %w", dims, t, ErrTooLarge)
		}
	}
	// The element count must fit in int64 as well (ggml's int64_t ne).
	n := uint64(1)
	for _, d := range dims {
		if hi, n = bits.Mul64(n, d); hi != 0 || n > math.MaxInt64 {
			return 0, fmt.Errorf("dims %v: element count overflows: %w", dims, ErrTooLarge)
		}
	}
	return size, nil
}

// Lookup returns the value of a metadata key.
func (f *File) Lookup(key string) (Value, bool) {
	i, ok := f.kvIndex[key]
	if !ok {
		return Value{}, false
	}
	return f.KV[i].Value, true
}

// String returns a string metadata value; false if absent or not a string.
func (f *File) String(key string) (string, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return "", false
	}
	return v.AsString()
}

// Uint returns an integer metadata value of any integer type as uint64; false if
// absent, not an integer, or negative.
func (f *File) Uint(key string) (uint64, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return 0, false
	}
	return v.AsUint()
}

// Int returns an integer metadata value of any integer type as int64; false if
// absent, not an integer, or larger than math.MaxInt64.
func (f *File) Int(key string) (int64, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return 0, false
	}
	return v.AsInt()
}

// Float returns an f32 or f64 metadata value; false if absent or of another type.
func (f *File) Float(key string) (float64, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return 0, false
	}
	return v.AsFloat()
}

// Bool returns a bool metadata value; false if absent or of another type.
func (f *File) Bool(key string) (bool, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return false, false
	}
	return v.AsBool()
}

// Strings returns an array-of-string metadata value (copies); false if absent or
// of another type.
func (f *File) Strings(key string) ([]string, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return nil, false
	}
	return v.AsStrings()
}

// Float32s returns an array-of-f32 metadata value (a copy); false if absent or of
// another type.
func (f *File) Float32s(key string) ([]float32, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return nil, false
	}
	return v.AsFloat32s()
}

// Int32s returns an array of any integer type as []int32 (a copy); false if
// absent, of another type, or if an element does not fit in int32.
func (f *File) Int32s(key string) ([]int32, bool) {
	v, ok := f.Lookup(key)
	if !ok {
		return nil, false
	}
	return v.AsInt32s()
}

// Tensor returns a tensor's info and its data, a view into the file's bytes;
// false if there is no tensor with that name.
func (f *File) Tensor(name string) (*TensorInfo, []byte, bool) {
	i, ok := f.tensorIndex[name]
	if !ok {
		return nil, nil, false
	}
	ti := &f.Tensors[i]
	return ti, f.TensorData(ti), true
}

// TensorData returns the data of ti, which must be one of f.Tensors, as a view
// into the file's bytes.
func (f *File) TensorData(ti *TensorInfo) []byte {
	end := ti.Offset + ti.Size
	return f.Data[ti.Offset:end:end]
}

// Close releases the mapping made by Open; after it the File's slices and Values
// must not be used. For a File from Parse it does nothing. Close is idempotent.
func (f *File) Close() error {
	if f.unmap == nil {
		return nil
	}
	unmap := f.unmap
	f.unmap = nil
	f.Data = nil
	return unmap()
}
