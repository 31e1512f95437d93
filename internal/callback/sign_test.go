package callback

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	testSecret = []byte("whsec_test-secret")
	testBody   = []byte(`{"event":"document.processed","file_uuid":"f-1"}`)
	testTime   = time.Unix(1_760_000_000, 0)
)

// signedHeader returns the headers a callback sent at ts with body carries.
func signedHeader(secret []byte, ts time.Time, body []byte) http.Header {
	h := http.Header{}
	setSignature(h, secret, ts, body)
	return h
}

func TestSignFormat(t *testing.T) {
	got := Sign(testSecret, testTime, testBody)
	if len(got) != len("v1=")+64 || got[:3] != "v1=" {
		t.Fatalf("Sign = %q, want v1= and 64 hex digits", got)
	}
	if again := Sign(testSecret, testTime, testBody); again != got {
		t.Errorf("Sign is not deterministic: %q then %q", got, again)
	}
	if other := Sign(testSecret, testTime.Add(time.Second), testBody); other == got {
		t.Error("the timestamp does not change the signature")
	}
}

func TestVerify(t *testing.T) {
	oldSecret := []byte("whsec_old")
	tests := []struct {
		name    string
		secret  []byte
		header  func() http.Header
		body    []byte
		now     time.Time
		wantErr error
	}{
		{
			name:   "round trip",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header { return signedHeader(testSecret, testTime, testBody) },
		},
		{
			name:   "within tolerance, past",
			secret: testSecret, body: testBody, now: testTime.Add(4 * time.Minute),
			header: func() http.Header { return signedHeader(testSecret, testTime, testBody) },
		},
		{
			name:   "within tolerance, future",
			secret: testSecret, body: testBody, now: testTime.Add(-4 * time.Minute),
			header: func() http.Header { return signedHeader(testSecret, testTime, testBody) },
		},
		{
			name:   "tampered body",
			secret: testSecret, body: []byte(`{"event":"document.processed","file_uuid":"f-2"}`), now: testTime,
			header:  func() http.Header { return signedHeader(testSecret, testTime, testBody) },
			wantErr: ErrBadSignature,
		},
		{
			name:   "wrong secret",
			secret: []byte("whsec_other"), body: testBody, now: testTime,
			header:  func() http.Header { return signedHeader(testSecret, testTime, testBody) },
			wantErr: ErrBadSignature,
		},
		{
			name:   "timestamp changed after signing",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Set(HeaderTimestamp, strconv.FormatInt(testTime.Unix()+1, 10))
				return h
			},
			wantErr: ErrBadSignature,
		},
		{
			name:   "stale",
			secret: testSecret, body: testBody, now: testTime.Add(6 * time.Minute),
			header:  func() http.Header { return signedHeader(testSecret, testTime, testBody) },
			wantErr: ErrStaleTimestamp,
		},
		{
			name:   "future",
			secret: testSecret, body: testBody, now: testTime.Add(-6 * time.Minute),
			header:  func() http.Header { return signedHeader(testSecret, testTime, testBody) },
			wantErr: ErrStaleTimestamp,
		},
		{
			name:   "rotation: new secret second",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(oldSecret, testTime, testBody)
				h.Set(HeaderSignature, h.Get(HeaderSignature)+", "+Sign(testSecret, testTime, testBody))
				return h
			},
		},
		{
			name:   "rotation: old secret first",
			secret: oldSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(oldSecret, testTime, testBody)
				h.Set(HeaderSignature, h.Get(HeaderSignature)+","+Sign(testSecret, testTime, testBody))
				return h
			},
		},
		{
			name:   "rotation: repeated headers",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(oldSecret, testTime, testBody)
				h.Add(HeaderSignature, Sign(testSecret, testTime, testBody))
				return h
			},
		},
		{
			name:   "rotation: neither matches",
			secret: []byte("whsec_third"), body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(oldSecret, testTime, testBody)
				h.Set(HeaderSignature, h.Get(HeaderSignature)+","+Sign(testSecret, testTime, testBody))
				return h
			},
			wantErr: ErrBadSignature,
		},
		{
			name:   "unknown scheme alongside v1",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Set(HeaderSignature, "v2=abcdef,"+h.Get(HeaderSignature))
				return h
			},
		},
		{
			name:   "no timestamp",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Del(HeaderTimestamp)
				return h
			},
			wantErr: ErrMalformedHeader,
		},
		{
			name:   "timestamp not a number",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Set(HeaderTimestamp, "yesterday")
				return h
			},
			wantErr: ErrMalformedHeader,
		},
		{
			name:   "no signature",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Del(HeaderSignature)
				return h
			},
			wantErr: ErrMalformedHeader,
		},
		{
			name:   "signature not hex",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Set(HeaderSignature, "v1=zz")
				return h
			},
			wantErr: ErrMalformedHeader,
		},
		{
			name:   "huge timestamp",
			secret: testSecret, body: testBody, now: testTime,
			header: func() http.Header {
				h := signedHeader(testSecret, testTime, testBody)
				h.Set(HeaderTimestamp, "9223372036854775807")
				return h
			},
			wantErr: ErrStaleTimestamp,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.header(), tt.body, tt.now, 5*time.Minute)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Verify: %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify: %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestVerifyDefaultTolerance(t *testing.T) {
	h := signedHeader(testSecret, testTime, testBody)
	if err := Verify(testSecret, h, testBody, testTime.Add(DefaultTolerance-time.Second), 0); err != nil {
		t.Errorf("inside the default tolerance: %v", err)
	}
	if err := Verify(testSecret, h, testBody, testTime.Add(DefaultTolerance+time.Second), 0); !errors.Is(err, ErrStaleTimestamp) {
		t.Errorf("outside the default tolerance: %v, want ErrStaleTimestamp", err)
	}
}

// FuzzVerify feeds Verify arbitrary headers and bodies: it must not panic,
// and must accept only what Sign made for that body.
func FuzzVerify(f *testing.F) {
	f.Add(strconv.FormatInt(testTime.Unix(), 10), Sign(testSecret, testTime, testBody), testBody)
	f.Add("", "", []byte{})
	f.Add("-1", "v1=", []byte("x"))
	f.Add("1760000000", "v1=00,v1=zz,,v2=1", []byte("{}"))
	f.Add("99999999999999999999", "v1="+string(make([]byte, 64)), testBody)
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		err := Verify(testSecret, h, body, testTime, time.Hour)
		if err != nil {
			return
		}
		unix, perr := strconv.ParseInt(ts, 10, 64)
		if perr != nil {
			t.Fatalf("accepted unparseable timestamp %q", ts)
		}
		if want := Sign(testSecret, time.Unix(unix, 0), body); !strings.Contains(strings.ToLower(sig), want) {
			t.Fatalf("accepted signature %q, want one of its values to be %q", sig, want)
		}
	})
}
