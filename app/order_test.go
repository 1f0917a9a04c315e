package app

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gatekey/gatekey/otp"
)

func TestOrderAccounts(t *testing.T) {
	accs := func() []otp.Account {
		return []otp.Account{
			{UUID: "1", Issuer: "beta", Name: "zed"},
			{UUID: "2", Issuer: "Alpha", Name: "yan"},
			{UUID: "3", Issuer: "gamma", Name: "amy", Favorite: true},
			{UUID: "4", Issuer: "delta", Name: "bob"},
		}
	}
	uuids := func(accs []otp.Account) []string {
		var out []string
		for _, a := range accs {
			out = append(out, a.UUID)
		}
		return out
	}
	tests := []struct {
		order string
		used  map[string]int64
		want  []string
	}{
		{SortIssuer, nil, []string{"3", "2", "1", "4"}},
		{SortName, nil, []string{"3", "4", "2", "1"}},
		{SortLastUsed, map[string]int64{"4": 100, "1": 200}, []string{"3", "1", "4", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.order, func(t *testing.T) {
			got := accs()
			OrderAccounts(got, tt.order, tt.used)
			if diff := cmp.Diff(tt.want, uuids(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestInGroup(t *testing.T) {
	accs := []otp.Account{{Name: "a", Groups: []string{"work"}}, {Name: "b"}, {Name: "c", Groups: []string{"home", "work"}}}
	if got := InGroup(accs, "work"); len(got) != 2 || got[1].Name != "c" {
		t.Errorf("work: %+v", got)
	}
	if got := InGroup(accs, ""); len(got) != 3 {
		t.Errorf("all: %+v", got)
	}
}

func TestGroupCode(t *testing.T) {
	for in, want := range map[string]string{"123456": "123 456", "12345678": "1234 5678", "1234567": "123 4567", "ABCDE": "ABCDE", "": ""} {
		if got := GroupCode(in); got != want {
			t.Errorf("GroupCode(%q) = %q, want %q", in, got, want)
		}
	}
}
