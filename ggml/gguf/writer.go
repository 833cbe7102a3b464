package gguf

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/limnx/limnx/ggml/quant"
)

// Writer builds a GGUF v3 file: Set and AddTensor* record the metadata and the
// tensor infos, and Close writes everything, calling each tensor's data source in
// order, so tensor data is streamed and never held by the Writer. The alignment
// is DefaultAlignment unless general.alignment is Set. A Writer is not safe for
// concurrent use.
type Writer struct {
	w       io.Writer
	kv      []KV
	kvIndex map[string]int
	tensors []pendingTensor
	names   map[string]bool
	closed  bool
}

// pendingTensor is a tensor info and the source of its data.
type pendingTensor struct {
	info  TensorInfo
	write func(io.Writer) error
}

// NewWriter returns a Writer that writes a GGUF file to w when Close is called.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, kvIndex: map[string]int{}, names: map[string]bool{}}
}

// Set sets a metadata key: it replaces the value in place if the key was already
// set, otherwise it appends the key (the file keeps the order of first Set).
func (w *Writer) Set(key string, v Value) {
	if i, ok := w.kvIndex[key]; ok {
		w.kv[i].Value = v
		return
	}
	w.kvIndex[key] = len(w.kv)
	w.kv = append(w.kv, KV{Key: key, Value: v})
}

// Delete removes a metadata key if it is set.
func (w *Writer) Delete(key string) {
	i, ok := w.kvIndex[key]
	if !ok {
		return
	}
	w.kv = append(w.kv[:i], w.kv[i+1:]...)
	delete(w.kvIndex, key)
	for j := i; j < len(w.kv); j++ {
		w.kvIndex[w.kv[j].Key] = j
	}
}

// AddTensor adds a tensor whose data is in memory. data must hold exactly the
// tensor's size (checked here) and must not change until Close.
func (w *Writer) AddTensor(name string, t quant.Type, dims []uint64, data []byte) error {
	return w.add(name, t, dims, &data, func(dst io.Writer) error {
		_, err := dst.Write(data)
		return err
	})
}

// AddTensorFunc adds a tensor whose data is produced at Close by write, which must
// write exactly the tensor's size in bytes to its argument (checked at Close).
func (w *Writer) AddTensorFunc(name string, t quant.Type, dims []uint64, write func(io.Writer) error) error {
	return w.add(name, t, dims, nil, write)
}

// AddTensorReader adds a tensor whose data is read from r at Close; r must yield
// at least the tensor's size in bytes, and only that many are read.
func (w *Writer) AddTensorReader(name string, t quant.Type, dims []uint64, r io.Reader) error {
	size, _ := tensorSize(t, dims) // add reports a bad shape
	return w.add(name, t, dims, nil, func(dst io.Writer) error {
		n, err := io.CopyN(dst, r, int64(size))
		if err == io.EOF {
			return fmt.Errorf("reader ended after %d of %d bytes: %w", n, size, io.ErrUnexpectedEOF)
		}
		return err
	})
}

// TensorSize returns the size in bytes of a tensor of type t with dims (ggml
// order), or an error if the type is unknown, the row length is not a multiple of
// the block size, or the size overflows.
func TensorSize(t quant.Type, dims []uint64) (uint64, error) {
	size, err := tensorSize(t, dims)
	if err != nil {
		return 0, fmt.Errorf("gguf: %w", err)
	}
	return size, nil
}

func (w *Writer) add(name string, t quant.Type, dims []uint64, data *[]byte, write func(io.Writer) error) error {
	if w.closed {
		return fmt.Errorf("gguf: add tensor %q: writer closed", name)
	}
	if w.names[name] {
		return fmt.Errorf("gguf: add tensor %q: %w", name, ErrDuplicate)
	}
	if len(dims) > MaxDims {
		return fmt.Errorf("gguf: add tensor %q: %d dimensions, at most %d: %w", name, len(dims), MaxDims, ErrShape)
	}
	size, err := tensorSize(t, dims)
	if err != nil {
		return fmt.Errorf("gguf: add tensor %q: %w", name, err)
	}
	if data != nil && uint64(len(*data)) != size {
		return fmt.Errorf("gguf: add tensor %q: %d bytes of data, want %d for %v %v", name, len(*data), size, t, dims)
	}
	w.names[name] = true
	w.tensors = append(w.tensors, pendingTensor{
		info:  TensorInfo{Name: name, Dims: append([]uint64(nil), dims...), Type: t, Size: size},
		write: write,
	})
	return nil
}

// alignment returns the alignment the file will use.
func (w *Writer) alignment() (uint64, error) {
	i, ok := w.kvIndex[KeyAlignment]
	if !ok {
		return DefaultAlignment, nil
	}
	a, isInt := w.kv[i].Value.AsUint()
	if !isInt {
		return 0, fmt.Errorf("gguf: %s has type %s: %w", KeyAlignment, w.kv[i].Value.Type, ErrValueType)
	}
	if a == 0 || a&(a-1) != 0 || a > maxAlignment {
		return 0, fmt.Errorf("gguf: %s = %d: %w", KeyAlignment, a, ErrAlignment)
	}
	return a, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n uint64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}

// errTensorSize marks a data source that wrote the wrong number of bytes.
var errTensorSize = errors.New("wrong number of bytes")

// Close writes the file: header, metadata, tensor infos, padding, then each
// tensor's data (from its source, in the order added) padded to the alignment.
// It does not close the underlying writer. It returns the first error, with the
// tensor's name when a data source failed or wrote the wrong number of bytes.
func (w *Writer) Close() error {
	if w.closed {
		return errors.New("gguf: writer already closed")
	}
	w.closed = true
	align, err := w.alignment()
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w.w, 1<<20)
	cw := &countingWriter{w: bw}

	var hdr bytes.Buffer
	hdr.WriteString(Magic)
	binary.Write(&hdr, binary.LittleEndian, uint32(3))
	binary.Write(&hdr, binary.LittleEndian, uint64(len(w.tensors)))
	binary.Write(&hdr, binary.LittleEndian, uint64(len(w.kv)))
	var b []byte
	for _, kv := range w.kv {
		if !kv.Value.Type.Valid() {
			return fmt.Errorf("gguf: metadata %q: type %d: %w", kv.Key, uint32(kv.Value.Type), ErrValueType)
		}
		b = binary.LittleEndian.AppendUint64(b[:0], uint64(len(kv.Key)))
		b = append(b, kv.Key...)
		b = binary.LittleEndian.AppendUint32(b, uint32(kv.Value.Type))
		b = kv.Value.appendEncoding(b)
		hdr.Write(b)
	}
	off := uint64(0)
	for i := range w.tensors {
		ti := &w.tensors[i].info
		ti.Offset = off
		off += (ti.Size + align - 1) / align * align
		b = binary.LittleEndian.AppendUint64(b[:0], uint64(len(ti.Name)))
		b = append(b, ti.Name...)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(ti.Dims)))
		for _, d := range ti.Dims {
			b = binary.LittleEndian.AppendUint64(b, d)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(ti.Type))
		b = binary.LittleEndian.AppendUint64(b, ti.Offset)
		hdr.Write(b)
	}
	if _, err := cw.Write(hdr.Bytes()); err != nil {
		return fmt.Errorf("gguf: write header: %w", err)
	}
	if err := pad(cw, align); err != nil {
		return fmt.Errorf("gguf: write header padding: %w", err)
	}
	dataStart := cw.n
	for i := range w.tensors {
		pt := &w.tensors[i]
		start := cw.n
		if err := pt.write(cw); err != nil {
			return fmt.Errorf("gguf: tensor %q: write data: %w", pt.info.Name, err)
		}
		if got := cw.n - start; got != pt.info.Size {
			return fmt.Errorf("gguf: tensor %q: data source wrote %d bytes, want %d: %w", pt.info.Name, got, pt.info.Size, errTensorSize)
		}
		if cw.n-dataStart != pt.info.Offset+pt.info.Size {
			panic("gguf: Writer: tensor offsets out of step with the bytes written")
		}
		if err := pad(cw, align); err != nil {
			return fmt.Errorf("gguf: tensor %q: write padding: %w", pt.info.Name, err)
		}
		pt.write = nil // let the source be collected
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("gguf: write: %w", err)
	}
	return nil
}

var zeros [4096]byte

// pad writes zeros up to the next multiple of align.
func pad(cw *countingWriter, align uint64) error {
	n := (align - cw.n%align) % align
	for n > 0 {
		k := min(n, uint64(len(zeros)))
		if _, err := cw.Write(zeros[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}
