// Constants shared by the kernels in this package. No code, so no ISA.

#include "textflag.h"

// 16 x int16 1, for VPMADDWD pair sums.
DATA ·kOnes16+0(SB)/8, $0x0001000100010001
DATA ·kOnes16+8(SB)/8, $0x0001000100010001
DATA ·kOnes16+16(SB)/8, $0x0001000100010001
DATA ·kOnes16+24(SB)/8, $0x0001000100010001
GLOBL ·kOnes16(SB), RODATA|NOPTR, $32

// 32 x byte 1, for VPMADDUBSW byte-pair sums.
DATA ·kOnes8+0(SB)/8, $0x0101010101010101
DATA ·kOnes8+8(SB)/8, $0x0101010101010101
DATA ·kOnes8+16(SB)/8, $0x0101010101010101
DATA ·kOnes8+24(SB)/8, $0x0101010101010101
GLOBL ·kOnes8(SB), RODATA|NOPTR, $32

// 32 x byte 0x0f: low-nibble mask.
DATA ·kNibble+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA ·kNibble+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA ·kNibble+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA ·kNibble+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL ·kNibble(SB), RODATA|NOPTR, $32

// 32 x byte 0x03: two-bit mask.
DATA ·kTwoBits+0(SB)/8, $0x0303030303030303
DATA ·kTwoBits+8(SB)/8, $0x0303030303030303
DATA ·kTwoBits+16(SB)/8, $0x0303030303030303
DATA ·kTwoBits+24(SB)/8, $0x0303030303030303
GLOBL ·kTwoBits(SB), RODATA|NOPTR, $32

// VPSHUFB masks j=0..7 (32 bytes each): int16 word j of each 128-bit lane broadcast across the lane.
DATA ·kWordBcast+0(SB)/8, $0x0100010001000100
DATA ·kWordBcast+8(SB)/8, $0x0100010001000100
DATA ·kWordBcast+16(SB)/8, $0x0100010001000100
DATA ·kWordBcast+24(SB)/8, $0x0100010001000100
DATA ·kWordBcast+32(SB)/8, $0x0302030203020302
DATA ·kWordBcast+40(SB)/8, $0x0302030203020302
DATA ·kWordBcast+48(SB)/8, $0x0302030203020302
DATA ·kWordBcast+56(SB)/8, $0x0302030203020302
DATA ·kWordBcast+64(SB)/8, $0x0504050405040504
DATA ·kWordBcast+72(SB)/8, $0x0504050405040504
DATA ·kWordBcast+80(SB)/8, $0x0504050405040504
DATA ·kWordBcast+88(SB)/8, $0x0504050405040504
DATA ·kWordBcast+96(SB)/8, $0x0706070607060706
DATA ·kWordBcast+104(SB)/8, $0x0706070607060706
DATA ·kWordBcast+112(SB)/8, $0x0706070607060706
DATA ·kWordBcast+120(SB)/8, $0x0706070607060706
DATA ·kWordBcast+128(SB)/8, $0x0908090809080908
DATA ·kWordBcast+136(SB)/8, $0x0908090809080908
DATA ·kWordBcast+144(SB)/8, $0x0908090809080908
DATA ·kWordBcast+152(SB)/8, $0x0908090809080908
DATA ·kWordBcast+160(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA ·kWordBcast+168(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA ·kWordBcast+176(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA ·kWordBcast+184(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA ·kWordBcast+192(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA ·kWordBcast+200(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA ·kWordBcast+208(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA ·kWordBcast+216(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA ·kWordBcast+224(SB)/8, $0x0f0e0f0e0f0e0f0e
DATA ·kWordBcast+232(SB)/8, $0x0f0e0f0e0f0e0f0e
DATA ·kWordBcast+240(SB)/8, $0x0f0e0f0e0f0e0f0e
DATA ·kWordBcast+248(SB)/8, $0x0f0e0f0e0f0e0f0e
GLOBL ·kWordBcast(SB), RODATA|NOPTR, $256

// VPSHUFB masks g=0..7 (16 bytes each): byte 2g in bytes 0-7, byte 2g+1 in bytes 8-15
// (after VPMOVSXBW: scale 2g in the low lane, scale 2g+1 in the high lane).
DATA ·kPairBcast+0(SB)/8, $0x0000000000000000
DATA ·kPairBcast+8(SB)/8, $0x0101010101010101
DATA ·kPairBcast+16(SB)/8, $0x0202020202020202
DATA ·kPairBcast+24(SB)/8, $0x0303030303030303
DATA ·kPairBcast+32(SB)/8, $0x0404040404040404
DATA ·kPairBcast+40(SB)/8, $0x0505050505050505
DATA ·kPairBcast+48(SB)/8, $0x0606060606060606
DATA ·kPairBcast+56(SB)/8, $0x0707070707070707
DATA ·kPairBcast+64(SB)/8, $0x0808080808080808
DATA ·kPairBcast+72(SB)/8, $0x0909090909090909
DATA ·kPairBcast+80(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA ·kPairBcast+88(SB)/8, $0x0b0b0b0b0b0b0b0b
DATA ·kPairBcast+96(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA ·kPairBcast+104(SB)/8, $0x0d0d0d0d0d0d0d0d
DATA ·kPairBcast+112(SB)/8, $0x0e0e0e0e0e0e0e0e
DATA ·kPairBcast+120(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL ·kPairBcast(SB), RODATA|NOPTR, $128

// 8 x float32 sign-clear mask.
DATA ·kAbsF32+0(SB)/8, $0x7fffffff7fffffff
DATA ·kAbsF32+8(SB)/8, $0x7fffffff7fffffff
DATA ·kAbsF32+16(SB)/8, $0x7fffffff7fffffff
DATA ·kAbsF32+24(SB)/8, $0x7fffffff7fffffff
GLOBL ·kAbsF32(SB), RODATA|NOPTR, $32

// VPERMD order that undoes the lane interleave of VPACKSSDW+VPACKSSWB.
DATA ·kPermQ8+0(SB)/8, $0x0000000400000000
DATA ·kPermQ8+8(SB)/8, $0x0000000500000001
DATA ·kPermQ8+16(SB)/8, $0x0000000600000002
DATA ·kPermQ8+24(SB)/8, $0x0000000700000003
GLOBL ·kPermQ8(SB), RODATA|NOPTR, $32

// VPSHUFB mask: byte i/8 of a 32-bit word into byte i.
DATA ·kBitBytes+0(SB)/8, $0x0000000000000000
DATA ·kBitBytes+8(SB)/8, $0x0101010101010101
DATA ·kBitBytes+16(SB)/8, $0x0202020202020202
DATA ·kBitBytes+24(SB)/8, $0x0303030303030303
GLOBL ·kBitBytes(SB), RODATA|NOPTR, $32

// bit i%8 in byte i: with kBitBytes, spreads 32 bits over 32 bytes.
DATA ·kBitSelect+0(SB)/8, $0x8040201008040201
DATA ·kBitSelect+8(SB)/8, $0x8040201008040201
DATA ·kBitSelect+16(SB)/8, $0x8040201008040201
DATA ·kBitSelect+24(SB)/8, $0x8040201008040201
GLOBL ·kBitSelect(SB), RODATA|NOPTR, $32

// 32 x byte 0x10: the fifth bit of Q5 values.
DATA ·kHighBit+0(SB)/8, $0x1010101010101010
DATA ·kHighBit+8(SB)/8, $0x1010101010101010
DATA ·kHighBit+16(SB)/8, $0x1010101010101010
DATA ·kHighBit+24(SB)/8, $0x1010101010101010
GLOBL ·kHighBit(SB), RODATA|NOPTR, $32

// float32 127.0 (and padding).
DATA ·kF127+0(SB)/8, $0x0000000042fe0000
GLOBL ·kF127(SB), RODATA|NOPTR, $8

// 32 x byte 8: the Q4_0 offset.
DATA ·kEight+0(SB)/8, $0x0808080808080808
DATA ·kEight+8(SB)/8, $0x0808080808080808
DATA ·kEight+16(SB)/8, $0x0808080808080808
DATA ·kEight+24(SB)/8, $0x0808080808080808
GLOBL ·kEight(SB), RODATA|NOPTR, $32

// 32 x byte 0xf0: high-nibble mask.
DATA ·kHighNibble+0(SB)/8, $0xf0f0f0f0f0f0f0f0
DATA ·kHighNibble+8(SB)/8, $0xf0f0f0f0f0f0f0f0
DATA ·kHighNibble+16(SB)/8, $0xf0f0f0f0f0f0f0f0
DATA ·kHighNibble+24(SB)/8, $0xf0f0f0f0f0f0f0f0
GLOBL ·kHighNibble(SB), RODATA|NOPTR, $32

// 16 x byte 32: the Q3_K scale offset.
DATA ·kThirtyTwo+0(SB)/8, $0x2020202020202020
DATA ·kThirtyTwo+8(SB)/8, $0x2020202020202020
GLOBL ·kThirtyTwo(SB), RODATA|NOPTR, $16

// 32 x byte 0x80: flips int8 to uint8 offset by 128 (x ^ 0x80 = x + 128),
// and the unsigned factor 128 for VPDPBUSD.
DATA ·kByte80+0(SB)/8, $0x8080808080808080
DATA ·kByte80+8(SB)/8, $0x8080808080808080
DATA ·kByte80+16(SB)/8, $0x8080808080808080
DATA ·kByte80+24(SB)/8, $0x8080808080808080
GLOBL ·kByte80(SB), RODATA|NOPTR, $32

// VPSHUFB mask: the even bytes of a 16-byte vector, then the odd ones
// (Q6_K scales 0,2,..,14 | 1,3,..,15, so that after VPMOVSXBW scale 2k
// is word k of the low lane and scale 2k+1 word k of the high lane).
DATA ·kEvenOddBytes+0(SB)/8, $0x0e0c0a0806040200
DATA ·kEvenOddBytes+8(SB)/8, $0x0f0d0b0907050301
GLOBL ·kEvenOddBytes(SB), RODATA|NOPTR, $16

// 32 x byte 0x30: bits 4-5, where Q6_K's two high bits go.
DATA ·kHi30+0(SB)/8, $0x3030303030303030
DATA ·kHi30+8(SB)/8, $0x3030303030303030
DATA ·kHi30+16(SB)/8, $0x3030303030303030
DATA ·kHi30+24(SB)/8, $0x3030303030303030
GLOBL ·kHi30(SB), RODATA|NOPTR, $32

// VPERMPS indices: dwords 0,0,0,0,1,1,1,1 and 2,2,2,2,3,3,3,3 (each of
// four values four times).
DATA ·kPermLo4+0(SB)/8, $0x0000000000000000
DATA ·kPermLo4+8(SB)/8, $0x0000000000000000
DATA ·kPermLo4+16(SB)/8, $0x0000000100000001
DATA ·kPermLo4+24(SB)/8, $0x0000000100000001
GLOBL ·kPermLo4(SB), RODATA|NOPTR, $32
DATA ·kPermHi4+0(SB)/8, $0x0000000200000002
DATA ·kPermHi4+8(SB)/8, $0x0000000200000002
DATA ·kPermHi4+16(SB)/8, $0x0000000300000003
DATA ·kPermHi4+24(SB)/8, $0x0000000300000003
GLOBL ·kPermHi4(SB), RODATA|NOPTR, $32
