package klog

import "github.com/usbarmory/tamago/soc/intel/uart"

var com1 = uart.UART{Index: 1, Base: 0x3f8}

func tx(c byte) { com1.Tx(c) }

// RxByte returns a byte received on the serial port, if one is waiting.
func RxByte() (byte, bool) { return com1.Rx() }
