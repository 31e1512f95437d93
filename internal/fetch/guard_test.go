package fetch

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

var nonPublicTests = []struct {
	addr      string
	nonPublic bool
}{
	// IPv4.
	{"8.8.8.8", false},
	{"1.1.1.1", false},
	{"93.184.216.34", false},
	{"127.0.0.1", true},
	{"127.255.255.254", true},
	{"10.0.0.1", true},
	{"172.16.0.1", true},
	{"172.31.255.255", true},
	{"172.32.0.1", false},
	{"192.168.1.1", true},
	{"169.254.169.254", true}, // cloud metadata
	{"169.254.0.1", true},
	{"100.64.0.1", true}, // CGNAT
	{"100.127.255.255", true},
	{"100.128.0.1", false},
	{"0.0.0.0", true},
	{"0.1.2.3", true},
	{"224.0.0.1", true},
	{"239.255.255.250", true},
	{"255.255.255.255", true},
	{"240.0.0.1", true},
	{"192.0.2.1", true},
	{"198.18.0.1", true},
	{"11.0.0.1", false},
	// IPv6.
	{"2606:4700:4700::1111", false},
	{"2001:4860:4860::8888", false},
	{"::1", true},
	{"::", true},
	{"fc00::1", true},
	{"fd12:3456:789a::1", true},
	{"fe80::1", true},
	{"fe80::1%eth0", true},
	{"febf::1", true},
	{"ff02::1", true},
	{"2001:db8::1", true},
	{"2001::1", true}, // Teredo
	{"::127.0.0.1", true},
	// IPv4-mapped: judged as the IPv4 address.
	{"::ffff:127.0.0.1", true},
	{"::ffff:10.1.2.3", true},
	{"::ffff:169.254.169.254", true},
	{"::ffff:0.0.0.0", true},
	{"::ffff:8.8.8.8", false},
	// NAT64 well-known prefix and 6to4: judged as the embedded address.
	{"64:ff9b::127.0.0.1", true},
	{"64:ff9b::a9fe:a9fe", true}, // 169.254.169.254
	{"64:ff9b::8.8.8.8", false},
	{"64:ff9b:1::8.8.8.8", true}, // local-use NAT64
	{"2002:7f00:1::1", true},     // 6to4 of 127.0.0.1
	{"2002:0808:0808::1", false}, // 6to4 of 8.8.8.8
}

func TestNonPublic(t *testing.T) {
	for _, tt := range nonPublicTests {
		a := netip.MustParseAddr(tt.addr)
		if got := NonPublic(a); got != tt.nonPublic {
			t.Errorf("NonPublic(%s) = %v, want %v", tt.addr, got, tt.nonPublic)
		}
	}
	if !NonPublic(netip.Addr{}) {
		t.Error("NonPublic(invalid) = false, want true")
	}
}

func TestGuardPermits(t *testing.T) {
	tests := []struct {
		name  string
		g     guard
		addr  string
		allow bool
	}{
		{"default public", guard{}, "8.8.8.8", true},
		{"default loopback", guard{}, "127.0.0.1", false},
		{"allow private", guard{allowPrivate: true}, "10.0.0.1", true},
		{"allow private v6 loopback", guard{allowPrivate: true}, "::1", true},
		{"allow-list hit", guard{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, "127.0.0.1", true},
		{"allow-list hit mapped", guard{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, "::ffff:127.0.0.1", true},
		{"allow-list miss", guard{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}}, "127.0.0.1", false},
		{"allow-list other range", guard{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, "169.254.169.254", false},
		{"allow-list still admits public", guard{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, "8.8.8.8", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.permits(netip.MustParseAddr(tt.addr)); got != tt.allow {
				t.Errorf("permits(%s) = %v, want %v", tt.addr, got, tt.allow)
			}
		})
	}
}

// The Control hook sees the socket's address, whatever resolved it.
func TestGuardControl(t *testing.T) {
	g := guard{}
	for _, addr := range []string{"127.0.0.1:80", "[::1]:443", "[::ffff:10.0.0.1]:80", "not-an-address"} {
		if err := g.control("tcp", addr, nil); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("control(%s) = %v, want ErrRefusedAddress", addr, err)
		}
	}
	if err := g.control("tcp", "8.8.8.8:443", nil); err != nil {
		t.Errorf("control(8.8.8.8:443) = %v, want nil", err)
	}
}

func TestParseAllow(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"127.0.0.0/8", []string{"127.0.0.0/8"}, false},
		{"127.0.0.1/8, ::1", []string{"127.0.0.0/8", "::1/128"}, false},
		{"10.1.2.3", []string{"10.1.2.3/32"}, false},
		{"localhost", nil, true},
		{"10.0.0.0/33", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseAllow(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseAllow(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if !slices.Equal(s, tt.want) {
			t.Errorf("ParseAllow(%q) = %v, want %v", tt.in, s, tt.want)
		}
	}
}

// FuzzNonPublic checks that every IPv6 form of an IPv4 address is judged
// as that address.
func FuzzNonPublic(f *testing.F) {
	for _, tt := range nonPublicTests {
		a := netip.MustParseAddr(tt.addr)
		if a.Is4() {
			f.Add(a.As4()[0], a.As4()[1], a.As4()[2], a.As4()[3])
		}
	}
	f.Fuzz(func(t *testing.T, b0, b1, b2, b3 byte) {
		v4 := netip.AddrFrom4([4]byte{b0, b1, b2, b3})
		want := NonPublic(v4)
		mapped := netip.AddrFrom16(v4.As16())
		nat64 := netip.AddrFrom16([16]byte{0, 0x64, 0xff, 0x9b, 12: b0, 13: b1, 14: b2, 15: b3})
		sixto4 := netip.AddrFrom16([16]byte{0x20, 0x02, b0, b1, b2, b3, 15: 1})
		for _, a := range []netip.Addr{mapped, nat64, sixto4} {
			if got := NonPublic(a); got != want {
				t.Errorf("NonPublic(%s) = %v, NonPublic(%s) = %v", a, got, v4, want)
			}
		}
	})
}

var urlTests = []struct {
	url string
	ok  bool
}{
	{"https://bucket.s3.amazonaws.com/doc.pdf?X-Amz-Signature=abc", true},
	{"http://example.com/", true},
	{"HTTPS://EXAMPLE.COM/x", true},
	{"http://user:pass@example.com/x", true},
	{"http://[::1]:8080/x", true}, // the address guard refuses it later
	{"file:///etc/passwd", false},
	{"ftp://example.com/doc.pdf", false},
	{"gopher://example.com:70/_GET", false},
	{"javascript:alert(1)", false},
	{"mailto:a@example.com?x=y", false},
	{"//example.com/doc.pdf", false},
	{"/doc.pdf", false},
	{"http:///doc.pdf", false},
	{"http://%zz/", false},
	{"", false},
	{" http://example.com", false},
}

func TestParseURL(t *testing.T) {
	for _, tt := range urlTests {
		_, err := parseURL(tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("parseURL(%q) error = %v, want ok %v", tt.url, err, tt.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://bucket.s3.amazonaws.com/a/doc.pdf?X-Amz-Signature=SECRET&X-Amz-Credential=K", "https://bucket.s3.amazonaws.com/a/doc.pdf"},
		{"https://user:SECRET@example.com/doc.pdf#frag", "https://example.com/doc.pdf"},
		{"http://example.com:8080/a%2Fb?q=SECRET", "http://example.com:8080/a%2Fb"},
		{"http://example.com", "http://example.com"},
		{"mailto:a@example.com?SECRET", "mailto:"},
		{"http://%zz/?SECRET", "(invalid url)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParseURL checks that only absolute http(s) URLs with a host pass,
// and that neither the error nor Redact ever carries a query or user info.
func FuzzParseURL(f *testing.F) {
	for _, tt := range urlTests {
		f.Add(tt.url)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := parseURL(raw)
		if err == nil {
			if u.Scheme != "http" && u.Scheme != "https" {
				t.Fatalf("parseURL(%q) accepted scheme %q", raw, u.Scheme)
			}
			if u.Hostname() == "" {
				t.Fatalf("parseURL(%q) accepted an empty host", raw)
			}
		} else if len(raw) > 8 && strings.Contains(err.Error(), raw) {
			t.Fatalf("parseURL(%q) error holds the URL: %v", raw, err)
		}
		r := Redact(raw)
		if strings.ContainsAny(r, "?#") {
			t.Fatalf("Redact(%q) = %q keeps a query or fragment", raw, r)
		}
		if u != nil && u.User != nil {
			if p, ok := u.User.Password(); ok && len(p) > 3 && strings.Contains(r, p+"@") {
				t.Fatalf("Redact(%q) = %q keeps the password", raw, r)
			}
		}
	})
}

func TestCheckAddress(t *testing.T) {
	f, err := New(Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}})
	if err != nil {
		t.Fatal(err)
	}
	f.resolver = fakeResolver{
		"public.test":  addrs("93.184.216.34"),
		"private.test": addrs("10.1.2.3"),
		"mixed.test":   addrs("93.184.216.34", "169.254.169.254"),
	}
	for _, tc := range []struct {
		url    string
		refuse bool
	}{
		{"https://public.test/cb", false},
		{"https://private.test/cb", true},
		{"https://mixed.test/cb", true},
		{"http://127.0.0.1:9/cb", true},
		{"http://127.0.0.2:9/cb", false}, // allowed prefix
		{"http://[::1]/cb", true},
		{"https://unresolvable.test/cb", false}, // checked again when dialled
	} {
		err := f.CheckAddress(t.Context(), tc.url)
		if (err != nil) != tc.refuse {
			t.Errorf("CheckAddress(%s) = %v, want refused %v", tc.url, err, tc.refuse)
		}
	}
}
