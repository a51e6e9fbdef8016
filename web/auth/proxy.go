package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies (TLS terminators, load balancers) whose
// X-Forwarded-For and X-Real-IP headers are believed. With none, the
// client's address is the connection's: a header anyone can send does not
// choose the address the login throttling and the audit see.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDRs or single addresses.
func ParseProxies(s string) (Proxies, error) {
	var ps Proxies
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("proxy %q: %w", f, err)
			}
			a = a.Unmap()
			ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("proxy %q: %w", f, err)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		ps = append(ps, p.Masked())
	}
	return ps, nil
}

func (ps Proxies) trusted(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client returns the client's address of a request: the connection's
// address, unless that is a trusted proxy; then the rightmost address of
// X-Forwarded-For that is not a trusted proxy (the proxies append the
// address they were reached from: what lies left of the first untrusted
// one may be forged), else X-Real-IP, else the connection's address.
func (ps Proxies) Client(r *http.Request) string {
	peer := ClientIP(r.RemoteAddr)
	if len(ps) == 0 {
		return peer
	}
	a, err := netip.ParseAddr(peer)
	if err != nil || !ps.trusted(a.Unmap()) {
		return peer
	}
	client := ""
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		hop, err := netip.ParseAddr(h)
		if err != nil {
			break // a garbled hop: believe no further
		}
		client = hop.Unmap().String()
		if !ps.trusted(hop.Unmap()) {
			return client
		}
	}
	if client != "" {
		return client // all trusted: the leftmost one
	}
	if v, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
		return v.Unmap().String()
	}
	return peer
}

// Resolve returns r with RemoteAddr set to the client's address (port 0)
// when it came through a trusted proxy, so that everything that reads the
// address (the actor of the use cases, the audit, the logs) sees the
// client's; r itself when nothing changes.
func (ps Proxies) Resolve(r *http.Request) *http.Request {
	c := ps.Client(r)
	if c == ClientIP(r.RemoteAddr) {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.RemoteAddr = net.JoinHostPort(c, "0")
	return r2
}
