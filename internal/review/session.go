package review

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/auth"
)

// SessionTTL is how long a login lasts.
const SessionTTL = 8 * time.Hour

// MinKeyBytes is the shortest session key accepted (HMAC-SHA256 wants 256
// bits).
const MinKeyBytes = 32

// CookieName is the session cookie's name.
const CookieName = "atlas_review"

// sessions issues and checks signed, expiring session cookies and the
// CSRF tokens derived from them. A session is stateless: the client id
// and expiry, MACed; logout clears the cookie.
type sessions struct {
	key []byte
	now func() time.Time
	// nonce makes each login's cookie, and so its CSRF token, its own.
	nonce func() string
}

// session is a verified login. Its cookie value is
// base64url(client id) "." expiry (Unix seconds) "." nonce "." MAC.
type session struct {
	clientID string
	expires  time.Time
	// raw is the cookie value, which the CSRF token is derived from.
	raw string
}

func newSessions(key []byte) (*sessions, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("session key has %d bytes, want at least %d", len(key), MinKeyBytes)
	}
	return &sessions{key: key, now: time.Now, nonce: func() string { return auth.RandomString(12) }}, nil
}

func (s *sessions) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// issue returns the cookie value of a new session for clientID.
func (s *sessions) issue(clientID string) session {
	exp := s.now().Add(SessionTTL).Truncate(time.Second)
	id := base64.RawURLEncoding.EncodeToString([]byte(clientID))
	e := strconv.FormatInt(exp.Unix(), 10)
	nonce := s.nonce()
	raw := id + "." + e + "." + nonce + "." + base64.RawURLEncoding.EncodeToString(s.mac("session", id, e, nonce))
	return session{clientID: clientID, expires: exp, raw: raw}
}

// verify returns the session a cookie value holds, if it is genuine and
// not expired.
func (s *sessions) verify(raw string) (session, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 4 {
		return session{}, false
	}
	id, e, nonce, sig := parts[0], parts[1], parts[2], parts[3]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac("session", id, e, nonce)) {
		return session{}, false
	}
	unix, err := strconv.ParseInt(e, 10, 64)
	if err != nil {
		return session{}, false
	}
	exp := time.Unix(unix, 0)
	if !s.now().Before(exp) {
		return session{}, false
	}
	clientID, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(clientID) == 0 {
		return session{}, false
	}
	return session{clientID: string(clientID), expires: exp, raw: raw}, true
}

// csrf returns the CSRF token of a session: forms carry it, POSTs must
// send it back. Another site can neither read it nor compute it.
func (s *sessions) csrf(sess session) string {
	return base64.RawURLEncoding.EncodeToString(s.mac("csrf", sess.raw))
}

// csrfValid reports whether token is the session's CSRF token.
func (s *sessions) csrfValid(sess session, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && hmac.Equal(got, s.mac("csrf", sess.raw))
}

// cookie returns the session cookie to set (value "" and MaxAge -1 to
// clear it). It is Secure when the browser reached atlas over TLS, here
// or at a proxy that says so (a false claim only costs its sender the
// cookie).
func cookie(r *http.Request, value string, expires time.Time) *http.Cookie {
	secure := r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
	c := &http.Cookie{Name: CookieName, Value: value, Path: Prefix, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	return c
}

type sessionKey struct{}

func sessionOf(ctx context.Context) (session, bool) {
	s, ok := ctx.Value(sessionKey{}).(session)
	return s, ok
}

// authed admits requests with a valid session (and, for POSTs, its CSRF
// token); others are sent to the login page, or refused for POSTs and
// images.
func (h *Handler) authed(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var sess session
		ok := false
		if c, err := r.Cookie(CookieName); err == nil {
			sess, ok = h.sessions.verify(c.Value)
		}
		if !ok {
			if r.Method != http.MethodGet {
				return &pageError{status: http.StatusUnauthorized, msg: "Your session has expired; log in again."}
			}
			http.Redirect(w, r, "/review/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		if r.Method == http.MethodPost && !h.sessions.csrfValid(sess, r.PostFormValue("csrf")) {
			return &pageError{status: http.StatusForbidden, msg: "The form has expired; reload the page and try again."}
		}
		return fn(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	}
}

// safeNext returns next if it is a review page to return to after login,
// else the home page: never another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, Prefix+"login") {
		return Prefix
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return Prefix
	}
	return next
}
