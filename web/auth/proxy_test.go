package auth_test

import (
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua/web/auth"
)

func TestClientAddress(t *testing.T) {
	tests := []struct {
		name    string
		proxies string
		remote  string
		xff     []string
		realIP  string
		want    string
	}{
		{"no proxy trusted: spoofed header ignored", "", "203.0.113.5:4321", []string{"10.1.1.1"}, "10.2.2.2", "203.0.113.5"},
		{"peer not trusted", "10.0.0.0/8", "203.0.113.5:4321", []string{"198.51.100.1"}, "", "203.0.113.5"},
		{"trusted proxy: rightmost untrusted", "10.0.0.0/8", "10.0.0.2:4321", []string{"6.6.6.6, 198.51.100.1, 10.0.0.7"}, "", "198.51.100.1"},
		{"several header lines", "10.0.0.0/8", "10.0.0.2:4321", []string{"6.6.6.6", "198.51.100.1"}, "", "198.51.100.1"},
		{"single address trusted", "10.0.0.2", "10.0.0.2:4321", []string{"198.51.100.1"}, "", "198.51.100.1"},
		{"garbled hop stops", "10.0.0.0/8", "10.0.0.2:4321", []string{"6.6.6.6, garbage, 10.0.0.7"}, "", "10.0.0.7"},
		{"X-Real-IP", "10.0.0.0/8", "10.0.0.2:4321", nil, "198.51.100.9", "198.51.100.9"},
		{"no header", "10.0.0.0/8", "10.0.0.2:4321", nil, "", "10.0.0.2"},
		{"IPv6 proxy", "2001:db8::/32", "[2001:db8::1]:443", []string{"2001:db9::5"}, "", "2001:db9::5"},
		{"mapped IPv4", "10.0.0.0/8", "[::ffff:10.0.0.2]:80", []string{"::ffff:198.51.100.1"}, "", "198.51.100.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := auth.ParseProxies(tt.proxies)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if tt.realIP != "" {
				r.Header.Set("X-Real-IP", tt.realIP)
			}
			if got := ps.Client(r); got != tt.want {
				t.Errorf("Client = %q, want %q", got, tt.want)
			}
			if got := auth.ClientIP(ps.Resolve(r).RemoteAddr); got != tt.want {
				t.Errorf("Resolve: %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"10.0.0.0/33", "not-an-ip", "10.0.0.0/8,x"} {
		if _, err := auth.ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q): no error", bad)
		}
	}
}
