module github.com/limnx/limnx

go 1.26.8

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	github.com/minio/sha256-simd v1.0.1 // indirect
	github.com/usbarmory/tamago v1.25.6 // indirect
	github.com/x448/float16 v0.8.4 // indirect
	golang.org/x/sys v0.41.0 // indirect
)
