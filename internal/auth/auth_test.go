package auth

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func newIssuer(t *testing.T) *Issuer {
	t.Helper()
	i, err := NewIssuer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestIssueVerify(t *testing.T) {
	i := newIssuer(t)
	tok, ttl, err := i.Issue("client-1")
	if err != nil {
		t.Fatal(err)
	}
	if ttl != time.Hour {
		t.Errorf("ttl = %v, want 1h", ttl)
	}
	got, err := i.Verify(tok)
	if err != nil || got != "client-1" {
		t.Fatalf("Verify = %q, %v; want client-1", got, err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	i := newIssuer(t)
	good, _, _ := i.Issue("client-1")
	parts := strings.Split(good, ".")

	other, _ := NewIssuer([]byte(strings.Repeat("x", 32)))
	wrongKey, _, _ := other.Issue("client-1")

	expiredIssuer := newIssuer(t)
	expiredIssuer.SetClock(func() time.Time { return time.Now().Add(-2 * time.Hour) })
	expired, _, _ := expiredIssuer.Issue("client-1")

	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."

	noExp, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "client-1", "iss": "atlas"}).SignedString([]byte(strings.Repeat("k", 32)))
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"sub": "client-1", "iss": "atlas", "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(strings.Repeat("k", 32)))
	noSub, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "atlas", "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(strings.Repeat("k", 32)))
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"atlas","sub":"client-2","exp":9999999999}`)) + "." + parts[2]

	for name, tok := range map[string]string{
		"empty": "", "garbage": "not-a-jwt", "wrong key": wrongKey, "expired": expired,
		"alg none": none, "no exp": noExp, "other alg": hs512, "no subject": noSub, "tampered claims": tampered,
	} {
		if sub, err := i.Verify(tok); err == nil {
			t.Errorf("%s: Verify accepted it (sub %q)", name, sub)
		}
	}
}

func TestSecrets(t *testing.T) {
	id, secret := NewCredentials()
	if !strings.HasPrefix(id, "atlas_") || len(secret) < 40 {
		t.Fatalf("credentials look weak: %q %d", id, len(secret))
	}
	h := HashSecret(secret)
	if !SecretMatches(secret, h) || SecretMatches(secret+"x", h) {
		t.Fatal("SecretMatches is wrong")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	p := t.TempDir() + "/k/jwt.key"
	k1, err := LoadOrCreateKey(p)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(p)
	if err != nil || string(k1) != string(k2) || len(k1) != 32 {
		t.Fatalf("key not kept: %v", err)
	}
}
