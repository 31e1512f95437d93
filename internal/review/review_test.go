package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/review"
	"github.com/atlas-oss/atlas/internal/store"
)

// saver is a Corrector that stores corrections straight in the store and
// records its calls.
type saver struct {
	st *store.SQLite
	// fail, when set, is returned instead of saving.
	fail  error
	mu    sync.Mutex
	calls []string
}

// count returns how many times Correct was called.
func (s *saver) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// last returns Correct's last call's arguments, joined by "|".
func (s *saver) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[len(s.calls)-1]
}

func (s *saver) Correct(ctx context.Context, clientID, fileUUID, field, value, reviewer string) (*store.Document, error) {
	s.mu.Lock()
	s.calls = append(s.calls, strings.Join([]string{clientID, fileUUID, field, value, reviewer}, "|"))
	s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	if err := s.st.SaveCorrection(ctx, clientID, fileUUID, store.Correction{Field: field, Value: value, Reviewer: reviewer}); err != nil {
		return nil, err
	}
	return s.st.GetDocument(ctx, fileUUID)
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see them.
type browser struct {
	t   *testing.T
	srv *httptest.Server
	c   *http.Client
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, srv: srv, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *browser) login(id, secret string) *http.Response {
	b.t.Helper()
	resp, _ := b.do("POST", "/review/login", url.Values{"client_id": {id}, "client_secret": {secret}})
	return resp
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.do("GET", path, nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv := newServer(t, newHandler(t, f, &saver{st: f.st}))
	tests := []struct {
		name, id, secret string
		want             int
	}{
		{"right secret", "client-a", secretA, http.StatusSeeOther},
		{"wrong secret", "client-a", secretB, http.StatusUnauthorized},
		{"unknown client", "client-z", secretA, http.StatusUnauthorized},
		{"no secret", "client-a", "", http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, srv)
			resp := b.login(tc.id, tc.secret)
			if resp.StatusCode != tc.want {
				t.Fatalf("login: %d, want %d", resp.StatusCode, tc.want)
			}
			var sess *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == review.CookieName {
					sess = c
				}
			}
			if tc.want != http.StatusSeeOther {
				if sess != nil {
					t.Fatal("a refused login set a session cookie")
				}
				if resp, _ := b.do("GET", "/review/", nil); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("after a refused login the home page answers %d", resp.StatusCode)
				}
				return
			}
			if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/review/" {
				t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/review/", sess)
			}
			if sess.Secure {
				t.Fatal("cookie is Secure over plain HTTP: the browser would drop it")
			}
			if life := time.Until(sess.Expires); life < 7*time.Hour || life > 8*time.Hour+time.Minute {
				t.Fatalf("session lives %v, want 8h", life)
			}
			if resp, body := b.do("GET", "/review/", nil); resp.StatusCode != 200 || !strings.Contains(body, "client-a") {
				t.Fatalf("home after login: %d", resp.StatusCode)
			}
		})
	}
}

func TestCookieSecureOverTLS(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv := httptest.NewTLSServer(newHandler(t, f, &saver{st: f.st}))
	t.Cleanup(srv.Close)
	b := &browser{t: t, srv: srv, c: srv.Client()}
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp := b.login("client-a", secretA)
	cs := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(cs) != 1 || !cs[0].Secure {
		t.Fatalf("login over TLS: %d, cookies %v: want one Secure cookie", resp.StatusCode, cs)
	}
}

func TestLoginReturnsToPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv := newServer(t, newHandler(t, f, &saver{st: f.st}))
	b := newBrowser(t, srv)
	resp, _ := b.do("GET", "/review/batch/batch-client-a", nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/review/login?next=") {
		t.Fatalf("unauthenticated batch page: %d to %q", resp.StatusCode, loc)
	}
	u, _ := url.Parse(loc)
	next := u.Query().Get("next")
	resp, _ = b.do("POST", "/review/login", url.Values{"client_id": {"client-a"}, "client_secret": {secretA}, "next": {next}})
	if got := resp.Header.Get("Location"); got != "/review/batch/batch-client-a" {
		t.Fatalf("login returns to %q", got)
	}
	// Another site is never a place to return to.
	resp, _ = b.do("POST", "/review/login", url.Values{"client_id": {"client-a"}, "client_secret": {secretA}, "next": {"//evil.example/review/"}})
	if got := resp.Header.Get("Location"); got != "/review/" {
		t.Fatalf("login with a foreign next returns to %q", got)
	}
}

func TestWithoutSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := newHandler(t, f, &saver{st: f.st})
	// skew moves the handler's clock (read by its goroutines).
	var skew atomic.Int64
	h.SetClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	srv := newServer(t, h)
	pages := []string{"/review/", "/review/nope", "/review/batch/batch-client-a", "/review/flow/f1", "/review/doc/" + f.doc["client-a"] + "/image", "/review/open?batch_id=x"}

	check := func(t *testing.T, b *browser) {
		for _, p := range pages {
			resp, _ := b.do("GET", p, nil)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/review/login") {
				t.Errorf("GET %s: %d to %q, want a redirect to the login", p, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		resp, _ := b.do("POST", "/review/doc/"+f.doc["client-a"]+"/correct", url.Values{"field": {"name_as_per_pan"}, "value": {"X"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST correct: %d, want 401", resp.StatusCode)
		}
	}
	t.Run("no cookie", func(t *testing.T) { check(t, newBrowser(t, srv)) })
	t.Run("forged cookie", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.login("client-b", secretB)
		u, _ := url.Parse(srv.URL + "/review/")
		var forged []*http.Cookie
		for _, c := range b.c.Jar.Cookies(u) {
			// Swap the client id and keep client-b's signature.
			_, rest, _ := strings.Cut(c.Value, ".")
			c.Value, c.Path = "Y2xpZW50LWE."+rest, "/review/"
			forged = append(forged, c)
		}
		b.c.Jar.SetCookies(u, forged)
		check(t, b)
	})
	t.Run("expired", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.login("client-a", secretA)
		if resp, _ := b.do("GET", "/review/", nil); resp.StatusCode != 200 {
			t.Fatalf("fresh session: %d", resp.StatusCode)
		}
		skew.Store(int64(review.SessionTTL + time.Second))
		defer skew.Store(0)
		check(t, b)
	})
	t.Run("logged out", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.login("client-a", secretA)
		resp, _ := b.do("POST", "/review/logout", url.Values{"csrf": {b.csrf("/review/")}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		check(t, b)
	})
}

func TestOtherClientIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.CreateFlow(ctx, &store.Flow{ID: "flow-b", ClientID: "client-b", ProductType: "PFL_CDL", ApplicationID: "app-1"}); err != nil {
		t.Fatal(err)
	}
	corr := &saver{st: f.st}
	srv := newServer(t, newHandler(t, f, corr))
	b := newBrowser(t, srv)
	b.login("client-a", secretA)
	docB := f.doc["client-b"]
	for _, p := range []string{"/review/batch/batch-client-b", "/review/flow/flow-b", "/review/doc/" + docB + "/image", "/review/batch/nope", "/review/doc/nope/image", "/review/nope"} {
		resp, body := b.do("GET", p, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, resp.StatusCode)
		}
		if strings.Contains(body, docB) || strings.Contains(body, "<img") || strings.Contains(body, "data-field") {
			t.Errorf("GET %s shows client-b's data", p)
		}
	}
	resp, _ := b.do("POST", "/review/doc/"+docB+"/correct", url.Values{"csrf": {b.csrf("/review/")}, "field": {"name_as_per_pan"}, "value": {"X"}, "back": {"/review/"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("correct client-b's document: %d, want 404", resp.StatusCode)
	}
	if d, _ := f.st.GetDocument(ctx, docB); len(d.Corrections) != 0 {
		t.Errorf("client-b's document was corrected: %v", d.Corrections)
	}
	if resp, _ := b.do("GET", "/review/batch/batch-client-a", nil); resp.StatusCode != 200 {
		t.Errorf("own batch: %d", resp.StatusCode)
	}
}

func TestCorrectNeedsCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	corr := &saver{st: f.st}
	srv := newServer(t, newHandler(t, f, corr))
	a, other := newBrowser(t, srv), newBrowser(t, srv)
	a.login("client-a", secretA)
	other.login("client-a", secretA) // the same client, another session
	docA := f.doc["client-a"]
	path := "/review/doc/" + docA + "/correct"
	form := func(csrf string) url.Values {
		v := url.Values{"field": {"name_as_per_pan"}, "value": {"CORRECTED NAME"}, "back": {"/review/batch/batch-client-a"}}
		if csrf != "" {
			v.Set("csrf", csrf)
		}
		return v
	}
	tests := []struct {
		name string
		csrf string
		want int
	}{
		{"missing", "", http.StatusForbidden},
		{"garbage", "not-a-token", http.StatusForbidden},
		{"another session's", other.csrf("/review/"), http.StatusForbidden},
		{"right", a.csrf("/review/batch/batch-client-a"), http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := corr.count()
			resp, _ := a.do("POST", path, form(tc.csrf))
			if resp.StatusCode != tc.want {
				t.Fatalf("POST: %d, want %d", resp.StatusCode, tc.want)
			}
			if called := corr.count() > before; called != (tc.want == http.StatusSeeOther) {
				t.Fatalf("corrector called: %v", called)
			}
		})
	}
	if want := "client-a|" + docA + "|name_as_per_pan|CORRECTED NAME|review:client-a"; corr.last() != want {
		t.Fatalf("corrector got %q, want %q", corr.last(), want)
	}
	// The logout form is checked too.
	if resp, _ := a.do("POST", "/review/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without token: %d", resp.StatusCode)
	}
}

func TestCorrectRedirectsAndShowsReviewed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv := newServer(t, newHandler(t, f, &saver{st: f.st}))
	b := newBrowser(t, srv)
	b.login("client-a", secretA)
	docA := f.doc["client-a"]
	resp, _ := b.do("POST", "/review/doc/"+docA+"/correct", url.Values{"csrf": {b.csrf("/review/")}, "field": {"name_as_per_pan"},
		"value": {"  A <b>BOLD</b> NAME "}, "back": {"/review/batch/batch-client-a"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review/batch/batch-client-a#doc-"+docA {
		t.Fatalf("correct: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := b.do("GET", "/review/batch/batch-client-a", nil)
	if !strings.Contains(body, "A &lt;b&gt;BOLD&lt;/b&gt; NAME") || strings.Contains(body, "<b>BOLD</b>") {
		t.Fatal("the corrected value is not shown escaped")
	}
	if !regexp.MustCompile(`<tr data-field="name_as_per_pan">\s*<td class="name">name_as_per_pan</td>\s*<td class="value">[^<]*<span class="reviewed"`).MatchString(body) {
		t.Fatal("the corrected field is not marked reviewed (nor out of the low-confidence rows)")
	}
	// A foreign back link is not followed.
	resp, _ = b.do("POST", "/review/doc/"+docA+"/correct", url.Values{"csrf": {b.csrf("/review/")}, "field": {"name_as_per_pan"}, "value": {"X"}, "back": {"https://evil.example/"}})
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/review/#") {
		t.Fatalf("foreign back: redirect to %q", loc)
	}
}

func TestCorrectErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name     string
		fail     error
		form     url.Values
		want     int
		wantText string
	}{
		{"refused value", &api.Error{Status: 400, Message: "pan_number must look like ABCDE1234F"}, url.Values{"field": {"pan_number"}, "value": {"x"}}, 400, "pan_number must look like ABCDE1234F"},
		{"store down", io.ErrUnexpectedEOF, url.Values{"field": {"name_as_per_pan"}, "value": {"x"}}, 500, "went wrong on our side"},
		{"no value", nil, url.Values{"field": {"name_as_per_pan"}, "value": {"  "}}, 400, "Type the corrected value"},
		{"no field", nil, url.Values{"value": {"x"}}, 400, "Say which field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			corr := &saver{st: f.st, fail: tc.fail}
			b := newBrowser(t, newServer(t, newHandler(t, f, corr)))
			b.login("client-a", secretA)
			tc.form.Set("csrf", b.csrf("/review/"))
			resp, body := b.do("POST", "/review/doc/"+f.doc["client-a"]+"/correct", tc.form)
			if resp.StatusCode != tc.want || !strings.Contains(body, tc.wantText) {
				t.Fatalf("%d %q, want %d with %q", resp.StatusCode, body, tc.want, tc.wantText)
			}
			if strings.Contains(body, io.ErrUnexpectedEOF.Error()) {
				t.Fatal("an internal error is shown to the reviewer")
			}
		})
	}
}

func TestImage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pdf := f.addBatch(t, "client-a", "batch-pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), nil, 1)[0]
	b := newBrowser(t, newServer(t, newHandler(t, f, &saver{st: f.st})))
	b.login("client-a", secretA)
	resp, body := b.do("GET", "/review/doc/"+f.doc["client-a"]+"/image", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("image: %d", resp.StatusCode)
	}
	for k, want := range map[string]string{"Content-Type": "image/png", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !bytes.Equal([]byte(body), f.sample.Data) {
		t.Error("the image is not the stored original")
	}
	// A PDF is not served as an image; its page says there is no preview.
	if resp, _ := b.do("GET", "/review/doc/"+pdf+"/image", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("pdf image: %d, want 404", resp.StatusCode)
	}
	if _, body := b.do("GET", "/review/batch/batch-pdf", nil); !strings.Contains(body, "No preview for this format") || strings.Contains(body, "<img") {
		t.Error("the PDF's page does not say there is no preview")
	}
}

var (
	rectRE  = regexp.MustCompile(`<rect data-field="([^"]+)"`)
	rowRE   = regexp.MustCompile(`<tr data-field="([^"]+)"( class="low")?>`)
	confRE  = regexp.MustCompile(`<td class="conf">(\d+)%</td>`)
	viewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
)

func TestBatchPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := newBrowser(t, newServer(t, newHandler(t, f, &saver{st: f.st})))
	b.login("client-a", secretA)
	resp, body := b.do("GET", "/review/batch/batch-client-a", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("batch page: %d %v", resp.StatusCode, resp.Header)
	}
	names := fieldNames(f.sample)
	if got := len(rectRE.FindAllStringSubmatch(body, -1)); got != len(names) {
		t.Errorf("%d boxes, want one per field (%d)", got, len(names))
	}
	if m := viewBox.FindStringSubmatch(body); m == nil || m[1] != itoa(f.sample.Width) || m[2] != itoa(f.sample.Height) {
		t.Errorf("overlay viewBox %v, want the image's %dx%d", m, f.sample.Width, f.sample.Height)
	}
	rows := rowRE.FindAllStringSubmatch(body, -1)
	confs := confRE.FindAllStringSubmatch(body, -1)
	if len(rows) != len(names) || len(confs) != len(names) {
		t.Fatalf("%d rows and %d confidences, want %d", len(rows), len(confs), len(names))
	}
	prev := 0
	for i, row := range rows {
		conf, _ := strconv.Atoi(confs[i][1])
		if low := conf < 80; (row[2] != "") != low {
			t.Errorf("row %s at %d%%: low class %v", row[1], conf, row[2] != "")
		}
		if conf < prev {
			t.Errorf("rows not sorted by confidence: %d%% after %d%%", conf, prev)
		}
		prev = conf
	}
	if !strings.Contains(body, `<span class="passed">passed</span> <small>pan_format</small>`) {
		t.Error("the PAN number's validation is not shown")
	}
	if !strings.Contains(body, f.sample.Truth["pan_number"]) {
		t.Error("the PAN number's value is not shown")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestBatchPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addBatch(t, "client-a", "big", f.sample.Data, panData(t, f.sample), review.PerPage+1)
	b := newBrowser(t, newServer(t, newHandler(t, f, &saver{st: f.st})))
	b.login("client-a", secretA)
	docs := regexp.MustCompile(`<section class="doc" id="doc-([^"]+)"`)
	tests := []struct {
		page       string
		docs       int
		prev, next bool
	}{
		{"", review.PerPage, false, true},
		{"?page=2", 1, true, false},
		{"?page=3", 0, true, false},
	}
	for _, tc := range tests {
		_, body := b.do("GET", "/review/batch/big"+tc.page, nil)
		if got := len(docs.FindAllString(body, -1)); got != tc.docs {
			t.Errorf("page %q: %d documents, want %d", tc.page, got, tc.docs)
		}
		if got := strings.Contains(body, `rel="prev"`); got != tc.prev {
			t.Errorf("page %q: prev link %v", tc.page, got)
		}
		if got := strings.Contains(body, `href="/review/batch/big?page=2" rel="next"`); got != tc.next {
			t.Errorf("page %q: next link %v", tc.page, got)
		}
	}
	if resp, _ := b.do("GET", "/review/batch/big?page=0", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("page 0: %d", resp.StatusCode)
	}
}

func TestFlowPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	fl := &store.Flow{ID: "flow-a", ClientID: "client-a", ProductType: "PFL_CDL", ApplicationID: "app-1"}
	if err := f.st.CreateFlow(ctx, fl); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, newServer(t, newHandler(t, f, &saver{st: f.st})))
	b.login("client-a", secretA)
	if _, body := b.do("GET", "/review/flow/flow-a", nil); !strings.Contains(body, "have not run yet") {
		t.Error("a flow without cross-checks does not say so")
	}
	checks, _ := json.Marshal([]crosscheck.Check{{Check: "name", Documents: []string{"1", "2"}, Fields: []string{"name", "name"}, Status: "mismatch", Score: 0.41, Detail: "<i>RAVI</i> vs RAVI KUMAR"}})
	if _, err := f.st.SaveCrossChecks(ctx, fl.ID, checks, 0, nil); err != nil {
		t.Fatal(err)
	}
	_, body := b.do("GET", "/review/flow/flow-a", nil)
	for _, want := range []string{`<tr class="verdict-mismatch"><td>name</td><td>1, 2</td><td>mismatch</td><td>0.41</td><td>&lt;i&gt;RAVI&lt;/i&gt; vs RAVI KUMAR</td></tr>`} {
		if !strings.Contains(body, want) {
			t.Errorf("flow page lacks %s", want)
		}
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := review.New(f.st, f.blobs, &saver{st: f.st}, []byte("short"), nil); err == nil {
		t.Error("a short session key was accepted")
	}
	if _, err := review.New(f.st, f.blobs, nil, sessionKey, nil); err == nil {
		t.Error("a missing corrector was accepted")
	}
	var _ review.Corrector = review.CorrectorFunc(nil)
	if _, err := review.New(f.st, f.blobs, review.CorrectorFunc(func(context.Context, string, string, string, string, string) (*store.Document, error) {
		return nil, nil
	}), sessionKey, nil); err != nil {
		t.Error(err)
	}
}
