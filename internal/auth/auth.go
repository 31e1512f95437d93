// Package auth issues and verifies the API's access tokens (HS256 JWTs)
// and makes and checks client credentials.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrInvalidToken covers every token that must be refused: missing,
// malformed, expired, signed with another key or another algorithm.
var ErrInvalidToken = errors.New("invalid token")

// TokenTTL is how long an access token lives (Atlas: expires_in 3600).
const TokenTTL = time.Hour

const issuer = "atlas"

// MinKeyBytes is the shortest signing key accepted: HS256 wants 256 bits.
const MinKeyBytes = 32

// Issuer signs and verifies tokens with one HS256 key.
type Issuer struct {
	key []byte
	now func() time.Time
}

// NewIssuer returns an Issuer for key (at least MinKeyBytes long).
func NewIssuer(key []byte) (*Issuer, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("signing key has %d bytes, want at least %d", len(key), MinKeyBytes)
	}
	return &Issuer{key: key, now: time.Now}, nil
}

// SetClock replaces the clock (tests).
func (i *Issuer) SetClock(now func() time.Time) { i.now = now }

// Issue returns a token for clientID and its lifetime.
func (i *Issuer) Issue(clientID string) (string, time.Duration, error) {
	now := i.now()
	claims := jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   clientID,
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(TokenTTL)),
		ID:        RandomString(12),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(i.key)
	if err != nil {
		return "", 0, fmt.Errorf("sign token: %w", err)
	}
	return s, TokenTTL, nil
}

// Verify returns the client id a token was issued to.
func (i *Issuer) Verify(token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return i.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(i.now),
	)
	if err != nil || claims.Subject == "" {
		return "", ErrInvalidToken
	}
	return claims.Subject, nil
}

// LoadOrCreateKey reads the signing key kept at path, creating a random one
// (readable by the owner only) the first time.
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) < MinKeyBytes {
			return nil, fmt.Errorf("signing key %s is too short (%d bytes)", path, len(key))
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create key dir: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKey(path) // another process made it first
	}
	if err != nil {
		return nil, fmt.Errorf("create signing key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("write signing key: %w", err)
	}
	return key, f.Close()
}

// RandomString returns n random bytes, base64url-encoded.
func RandomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewCredentials returns a fresh client id and secret.
func NewCredentials() (id, secret string) {
	return "atlas_" + RandomString(9), RandomString(32)
}

// HashSecret returns what is stored for a secret. Secrets atlas makes are
// 256 random bits, so one SHA-256 is enough (a slow password hash guards
// guessable secrets; these are not).
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// SecretMatches compares a presented secret with a stored hash in
// constant time.
func SecretMatches(secret string, hash []byte) bool {
	return hmac.Equal(HashSecret(secret), hash)
}
