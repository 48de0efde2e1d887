package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"testing"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// freeAddr is a loopback address free to listen on, for a connector whose own URL must be known
// before it starts (an OIDC redirect, a notification callback). Another process could take it in
// between; on a test machine that does not happen.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
