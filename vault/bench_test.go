package vault

import (
	"fmt"
	"testing"
)

// benchVault makes a keychain vault (no password slot, so no scrypt) with
// n accounts.
func benchVault(b *testing.B, n int) *Vault {
	v := createTestVault(b, "")
	for i := range n {
		if _, err := v.Add(testAccount(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := v.Save(); err != nil {
		b.Fatal(err)
	}
	return v
}

func benchmarkOpen(b *testing.B, n int) {
	v := benchVault(b, n)
	for b.Loop() {
		w, err := Open(v.Path(), OpenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(w.Accounts()) != n {
			b.Fatal("accounts lost")
		}
		w.Lock()
	}
}

func benchmarkSave(b *testing.B, n int) {
	v := benchVault(b, n)
	a := v.Accounts()[n/2]
	i := 0
	for b.Loop() {
		i++
		a.Note = fmt.Sprint(i)
		if err := v.Update(a); err != nil {
			b.Fatal(err)
		}
		if err := v.Save(); err != nil {
			b.Fatal(err)
		}
	}
}

// Opening reads the key from the keychain, decrypts and parses every entry.
func BenchmarkOpen1000(b *testing.B)  { benchmarkOpen(b, 1000) }
func BenchmarkOpen10000(b *testing.B) { benchmarkOpen(b, 10000) }

// Saving serializes, encrypts and writes atomically (with fsyncs and the
// backup link).
func BenchmarkSave1000(b *testing.B)  { benchmarkSave(b, 1000) }
func BenchmarkSave10000(b *testing.B) { benchmarkSave(b, 10000) }
