package gguf

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ValueType is the type tag of a metadata value, with GGUF's numbers.
type ValueType uint32

// GGUF metadata value types (gguf_type in gguf.h).
const (
	TypeUint8   ValueType = 0
	TypeInt8    ValueType = 1
	TypeUint16  ValueType = 2
	TypeInt16   ValueType = 3
	TypeUint32  ValueType = 4
	TypeInt32   ValueType = 5
	TypeFloat32 ValueType = 6
	TypeBool    ValueType = 7
	TypeString  ValueType = 8
	TypeArray   ValueType = 9
	TypeUint64  ValueType = 10
	TypeInt64   ValueType = 11
	TypeFloat64 ValueType = 12
)

// valueTypeNames is indexed by ValueType.
var valueTypeNames = [...]string{
	TypeUint8: "u8", TypeInt8: "i8", TypeUint16: "u16", TypeInt16: "i16",
	TypeUint32: "u32", TypeInt32: "i32", TypeFloat32: "f32", TypeBool: "bool",
	TypeString: "string", TypeArray: "array", TypeUint64: "u64", TypeInt64: "i64",
	TypeFloat64: "f64",
}

// String returns the short name of t ("u32", "string", ...), or "type(N)" for an
// unknown number.
func (t ValueType) String() string {
	if int(t) < len(valueTypeNames) {
		return valueTypeNames[t]
	}
	return "type(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// Valid reports whether t is one of the GGUF value types.
func (t ValueType) Valid() bool { return t <= TypeFloat64 }

// fixedSize returns the encoded size of a scalar of type t, or 0 for strings and
// arrays (variable size) and for unknown types.
func (t ValueType) fixedSize() int {
	switch t {
	case TypeUint8, TypeInt8, TypeBool:
		return 1
	case TypeUint16, TypeInt16:
		return 2
	case TypeUint32, TypeInt32, TypeFloat32:
		return 4
	case TypeUint64, TypeInt64, TypeFloat64:
		return 8
	}
	return 0
}

// Value is one metadata value: a scalar, a string or an array (of any type,
// arrays included). It holds the value's encoding as it appears in the file after
// the type tag (for arrays: after the element type and count), so a Value read by
// Parse points into the parsed bytes and a Value can be written back unchanged.
// The zero Value has Type TypeUint8 and no bytes; accessors on it report false.
type Value struct {
	// Type is the value's type.
	Type ValueType
	// Elem is the element type when Type is TypeArray.
	Elem ValueType
	n    int    // number of elements when Type is TypeArray
	raw  []byte // encoding after the tag (string: the bytes only, no length)
}

// Len returns the number of elements of an array, the byte length of a string,
// and 1 for a scalar.
func (v Value) Len() int {
	switch v.Type {
	case TypeArray:
		return v.n
	case TypeString:
		return len(v.raw)
	}
	return 1
}

// scalarBits returns the little-endian bits of a scalar encoding.
func scalarBits(t ValueType, b []byte) (uint64, bool) {
	sz := t.fixedSize()
	if sz == 0 || len(b) < sz {
		return 0, false
	}
	switch sz {
	case 1:
		return uint64(b[0]), true
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), true
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), true
	}
	return binary.LittleEndian.Uint64(b), true
}

// intOf decodes an integer scalar of type t: u is set for unsigned types, i for
// signed ones.
func intOf(t ValueType, b []byte) (u uint64, i int64, signed, ok bool) {
	bits, ok := scalarBits(t, b)
	if !ok {
		return 0, 0, false, false
	}
	switch t {
	case TypeUint8, TypeUint16, TypeUint32, TypeUint64:
		return bits, 0, false, true
	case TypeInt8:
		return 0, int64(int8(bits)), true, true
	case TypeInt16:
		return 0, int64(int16(bits)), true, true
	case TypeInt32:
		return 0, int64(int32(bits)), true, true
	case TypeInt64:
		return 0, int64(bits), true, true
	}
	return 0, 0, false, false
}

// AsUint returns an integer value of any integer type as uint64; false if v is not
// an integer or is negative.
func (v Value) AsUint() (uint64, bool) {
	u, i, signed, ok := intOf(v.Type, v.raw)
	if !ok {
		return 0, false
	}
	if signed {
		if i < 0 {
			return 0, false
		}
		return uint64(i), true
	}
	return u, true
}

// AsInt returns an integer value of any integer type as int64; false if v is not
// an integer or does not fit.
func (v Value) AsInt() (int64, bool) {
	u, i, signed, ok := intOf(v.Type, v.raw)
	if !ok {
		return 0, false
	}
	if signed {
		return i, true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// AsFloat returns a f32 or f64 value as float64; false for other types.
func (v Value) AsFloat() (float64, bool) {
	bits, ok := scalarBits(v.Type, v.raw)
	if !ok {
		return 0, false
	}
	switch v.Type {
	case TypeFloat32:
		return float64(math.Float32frombits(uint32(bits))), true
	case TypeFloat64:
		return math.Float64frombits(bits), true
	}
	return 0, false
}

// AsBool returns a bool value; any non-zero byte is true. False for other types.
func (v Value) AsBool() (bool, bool) {
	if v.Type != TypeBool || len(v.raw) < 1 {
		return false, false
	}
	return v.raw[0] != 0, true
}

// AsString returns a string value (a copy); false for other types.
func (v Value) AsString() (string, bool) {
	if v.Type != TypeString {
		return "", false
	}
	return string(v.raw), true
}

// AsStrings returns an array of strings as copies; false for other types.
func (v Value) AsStrings() ([]string, bool) {
	if v.Type != TypeArray || v.Elem != TypeString {
		return nil, false
	}
	out := make([]string, 0, v.n)
	ok := v.eachString(func(s []byte) { out = append(out, string(s)) })
	return out, ok
}

// EachString calls fn with each element of an array of strings, in order, without
// copying: s points into the value's bytes and must not be retained or modified.
// It returns false if v is not an array of strings.
func (v Value) EachString(fn func(i int, s []byte)) bool {
	if v.Type != TypeArray || v.Elem != TypeString {
		return false
	}
	i := 0
	return v.eachString(func(s []byte) { fn(i, s); i++ })
}

func (v Value) eachString(fn func(s []byte)) bool {
	b := v.raw
	for range v.n {
		if len(b) < 8 {
			return false
		}
		l := binary.LittleEndian.Uint64(b)
		b = b[8:]
		if l > uint64(len(b)) {
			return false
		}
		fn(b[:l])
		b = b[l:]
	}
	return true
}

// AsFloat32s returns an array of f32 as a new slice; false for other types.
func (v Value) AsFloat32s() ([]float32, bool) {
	if v.Type != TypeArray || v.Elem != TypeFloat32 || len(v.raw) < 4*v.n {
		return nil, false
	}
	out := make([]float32, v.n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(v.raw[4*i:]))
	}
	return out, true
}

// AsInt32s returns an array of any integer type as a new []int32; false for other
// types or if an element does not fit in int32.
func (v Value) AsInt32s() ([]int32, bool) {
	if v.Type != TypeArray {
		return nil, false
	}
	sz := v.Elem.fixedSize()
	if sz == 0 || v.Elem == TypeBool || v.Elem == TypeFloat32 || v.Elem == TypeFloat64 || len(v.raw) < sz*v.n {
		return nil, false
	}
	out := make([]int32, v.n)
	for k := range out {
		e := Value{Type: v.Elem, raw: v.raw[k*sz : (k+1)*sz]}
		x, ok := e.AsInt()
		if !ok || x < math.MinInt32 || x > math.MaxInt32 {
			return nil, false
		}
		out[k] = int32(x)
	}
	return out, true
}

// AsArray returns the elements of an array of any element type (nested arrays
// included) as Values pointing into v's bytes; false if v is not an array.
func (v Value) AsArray() ([]Value, bool) {
	if v.Type != TypeArray {
		return nil, false
	}
	out := make([]Value, 0, min(v.n, len(v.raw)))
	b := v.raw
	for range v.n {
		e, rest, err := decodeValue(v.Elem, b, 1)
		if err != nil {
			return nil, false
		}
		out = append(out, e)
		b = rest
	}
	return out, true
}

// String formats v for people: scalars as Go would print them, strings quoted,
// arrays as "[N x type]" followed by up to their first 8 elements.
func (v Value) String() string {
	switch v.Type {
	case TypeString:
		s, _ := v.AsString()
		return strconv.Quote(s)
	case TypeBool:
		b, _ := v.AsBool()
		return strconv.FormatBool(b)
	case TypeFloat32, TypeFloat64:
		f, _ := v.AsFloat()
		return strconv.FormatFloat(f, 'g', -1, 64)
	case TypeArray:
		var sb strings.Builder
		fmt.Fprintf(&sb, "[%d x %s]", v.n, v.Elem)
		if elems, ok := v.AsArray(); ok {
			sb.WriteString(" [")
			for i, e := range elems[:min(8, len(elems))] {
				if i > 0 {
					sb.WriteString(" ")
				}
				sb.WriteString(e.String())
			}
			if len(elems) > 8 {
				sb.WriteString(" ...")
			}
			sb.WriteString("]")
		}
		return sb.String()
	}
	if x, ok := v.AsInt(); ok {
		return strconv.FormatInt(x, 10)
	}
	if x, ok := v.AsUint(); ok {
		return strconv.FormatUint(x, 10)
	}
	return "<" + v.Type.String() + ">"
}

// Constructors. Each returns a Value holding its own encoding, ready for Writer.

func scalar(t ValueType, bits uint64) Value {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, bits)
	return Value{Type: t, raw: b[:t.fixedSize()]}
}

// Uint8 returns a u8 value.
func Uint8(x uint8) Value { return scalar(TypeUint8, uint64(x)) }

// Int8 returns an i8 value.
func Int8(x int8) Value { return scalar(TypeInt8, uint64(x)) }

// Uint16 returns a u16 value.
func Uint16(x uint16) Value { return scalar(TypeUint16, uint64(x)) }

// Int16 returns an i16 value.
func Int16(x int16) Value { return scalar(TypeInt16, uint64(x)) }

// Uint32 returns a u32 value.
func Uint32(x uint32) Value { return scalar(TypeUint32, uint64(x)) }

// Int32 returns an i32 value.
func Int32(x int32) Value { return scalar(TypeInt32, uint64(x)) }

// Uint64 returns a u64 value.
func Uint64(x uint64) Value { return scalar(TypeUint64, x) }

// Int64 returns an i64 value.
func Int64(x int64) Value { return scalar(TypeInt64, uint64(x)) }

// Float32 returns an f32 value.
func Float32(x float32) Value { return scalar(TypeFloat32, uint64(math.Float32bits(x))) }

// Float64 returns an f64 value.
func Float64(x float64) Value { return scalar(TypeFloat64, math.Float64bits(x)) }

// Bool returns a bool value (encoded as one byte, 0 or 1).
func Bool(x bool) Value {
	if x {
		return scalar(TypeBool, 1)
	}
	return scalar(TypeBool, 0)
}

// String returns a string value.
func String(s string) Value { return Value{Type: TypeString, raw: []byte(s)} }

// Strings returns an array of strings.
func Strings(ss []string) Value {
	n := 0
	for _, s := range ss {
		n += 8 + len(s)
	}
	b := make([]byte, 0, n)
	for _, s := range ss {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	return Value{Type: TypeArray, Elem: TypeString, n: len(ss), raw: b}
}

// Number is the set of Go types with a GGUF scalar type of the same width.
type Number interface {
	uint8 | int8 | uint16 | int16 | uint32 | int32 | uint64 | int64 | float32 | float64
}

// Numbers returns an array of numbers, with the GGUF element type matching T
// (int32 -> i32, float32 -> f32, ...).
func Numbers[T Number](xs []T) Value {
	var elem ValueType
	switch any(*new(T)).(type) {
	case uint8:
		elem = TypeUint8
	case int8:
		elem = TypeInt8
	case uint16:
		elem = TypeUint16
	case int16:
		elem = TypeInt16
	case uint32:
		elem = TypeUint32
	case int32:
		elem = TypeInt32
	case uint64:
		elem = TypeUint64
	case int64:
		elem = TypeInt64
	case float32:
		elem = TypeFloat32
	case float64:
		elem = TypeFloat64
	}
	sz := elem.fixedSize()
	b := make([]byte, 0, sz*len(xs))
	for _, x := range xs {
		var bits uint64
		switch elem {
		case TypeFloat32:
			bits = uint64(math.Float32bits(float32(x)))
		case TypeFloat64:
			bits = math.Float64bits(float64(x))
		case TypeInt8, TypeInt16, TypeInt32, TypeInt64:
			bits = uint64(int64(x))
		default:
			bits = uint64(x)
		}
		var tmp [8]byte
		binary.LittleEndian.PutUint64(tmp[:], bits)
		b = append(b, tmp[:sz]...)
	}
	return Value{Type: TypeArray, Elem: elem, n: len(xs), raw: b}
}

// Array returns an array of values that must all have type elem (any type,
// arrays included); it returns an error if one does not.
func Array(elem ValueType, vs []Value) (Value, error) {
	if !elem.Valid() {
		return Value{}, fmt.Errorf("gguf: array of %s: %w", elem, ErrValueType)
	}
	var b []byte
	for i, v := range vs {
		if v.Type != elem {
			return Value{}, fmt.Errorf("gguf: array of %s: element %d has type %s", elem, i, v.Type)
		}
		b = v.appendEncoding(b)
	}
	return Value{Type: TypeArray, Elem: elem, n: len(vs), raw: b}, nil
}

// appendEncoding appends v's encoding without its type tag (strings with their
// length, arrays with their element type and count).
func (v Value) appendEncoding(b []byte) []byte {
	switch v.Type {
	case TypeString:
		b = binary.LittleEndian.AppendUint64(b, uint64(len(v.raw)))
	case TypeArray:
		b = binary.LittleEndian.AppendUint32(b, uint32(v.Elem))
		b = binary.LittleEndian.AppendUint64(b, uint64(v.n))
	}
	return append(b, v.raw...)
}

// encodedSize is len(v.appendEncoding(nil)).
func (v Value) encodedSize() int {
	switch v.Type {
	case TypeString:
		return 8 + len(v.raw)
	case TypeArray:
		return 12 + len(v.raw)
	}
	return len(v.raw)
}

// Clone returns a copy of v that owns its bytes, so it stays valid after the File
// it came from is closed.
func (v Value) Clone() Value {
	v.raw = append([]byte(nil), v.raw...)
	return v
}
