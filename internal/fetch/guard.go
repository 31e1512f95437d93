package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// ErrRefusedAddress is returned when a URL's host resolves to an address
// the guard does not permit (loopback, private, link-local, ...).
var ErrRefusedAddress = errors.New("refused address")

// nonPublic are the ranges a document URL may not reach by default: hosts
// inside our own network, the cloud metadata service, and addresses that
// are not unicast destinations on the internet at all. IPv4-mapped, NAT64
// and 6to4 addresses are unwrapped first and judged by the IPv4 address they
// carry.
var nonPublic = []netip.Prefix{
	// IPv4.
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network", incl. unspecified
	netip.MustParsePrefix("10.0.0.0/8"),      // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("127.0.0.0/8"),     // loopback
	netip.MustParsePrefix("169.254.0.0/16"),  // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),   // RFC 1918
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast
	netip.MustParsePrefix("192.168.0.0/16"),  // RFC 1918
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("224.0.0.0/4"),     // multicast
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, incl. broadcast
	// IPv6. ::/8 holds unspecified, loopback, IPv4-compatible and the
	// NAT64 prefixes; the translated forms worth keeping are unwrapped
	// before this list is consulted.
	netip.MustParsePrefix("::/8"),
	netip.MustParsePrefix("100::/64"),      // discard-only
	netip.MustParsePrefix("2001::/23"),     // IETF protocol assignments, incl. Teredo
	netip.MustParsePrefix("2001:db8::/32"), // documentation
	netip.MustParsePrefix("3fff::/20"),     // documentation
	netip.MustParsePrefix("fc00::/7"),      // unique local
	netip.MustParsePrefix("fe80::/10"),     // link-local
	netip.MustParsePrefix("fec0::/10"),     // site-local (deprecated)
	netip.MustParsePrefix("ff00::/8"),      // multicast
}

var (
	nat64WellKnown = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour      = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address an IPv6 address stands for when it
// is IPv4-mapped, NAT64 well-known-prefix or 6to4, so that those forms of
// a private address are judged as that address.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if a.Is4In6() {
		return a.Unmap(), true
	}
	b := a.As16()
	switch {
	case nat64WellKnown.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// NonPublic reports whether atlas refuses to fetch from a by default:
// loopback, private, link-local, CGNAT, multicast, unspecified, reserved
// and documentation ranges, and IPv6 forms that carry such an IPv4
// address. An invalid address is non-public.
func NonPublic(a netip.Addr) bool {
	if !a.IsValid() {
		return true
	}
	a = a.WithZone("")
	if v4, ok := embeddedIPv4(a); ok {
		a = v4
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// guard decides which addresses may be dialled.
type guard struct {
	allowPrivate bool
	allow        []netip.Prefix
}

// permits reports whether a may be dialled.
func (g guard) permits(a netip.Addr) bool {
	if g.allowPrivate {
		return a.IsValid()
	}
	a = a.WithZone("")
	for _, p := range g.allow {
		if p.Contains(a) || p.Contains(a.Unmap()) {
			return true
		}
	}
	return !NonPublic(a)
}

// check returns ErrRefusedAddress, wrapped with the address, when a may not
// be dialled.
func (g guard) check(a netip.Addr) error {
	if g.permits(a) {
		return nil
	}
	return fmt.Errorf("dial %s: %w", a, ErrRefusedAddress)
}

// control is a net.Dialer Control hook: it runs on the address the socket
// is really about to connect to, whatever resolved it.
func (g guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("parse dial address: %w", ErrRefusedAddress)
	}
	return g.check(ap.Addr())
}

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// dialContext resolves the host, refuses the lot if any address is not
// permitted (a host that answers with one public and one private address is
// not trusted with either), then dials the checked addresses themselves,
// so that a second lookup (DNS rebinding) cannot change where we connect.
func (f *Fetcher) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("split dial address: %w", err)
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = f.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("resolve host: %w", err)
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("resolve host: no addresses")
		}
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
		if err := f.guard.check(addrs[i]); err != nil {
			return nil, err
		}
	}
	var errs []error
	for _, a := range addrs {
		conn, err := f.dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// ParseAllow parses a comma-separated list of prefixes or single
// addresses, as a command-line flag gives them: "127.0.0.0/8,::1".
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("parse allowed prefix %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// CheckAddress reports whether the host of rawURL resolves to an address
// the guard refuses, without connecting: for URLs given to atlas ahead of
// use (callback URLs), so a client learns at once rather than at the first
// delivery. A host that does not resolve now is not refused (DNS may
// recover); every connection is checked again when it is made.
func (f *Fetcher) CheckAddress(ctx context.Context, rawURL string) error {
	u, err := parseURL(rawURL)
	if err != nil {
		return err
	}
	host := u.Hostname()
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = f.resolver.LookupNetIP(ctx, "ip", host); err != nil {
		return nil
	}
	for _, a := range addrs {
		if !f.guard.permits(a.Unmap()) {
			return fmt.Errorf("points to %s, an address atlas may not reach (loopback, private or reserved)", a.Unmap())
		}
	}
	return nil
}
