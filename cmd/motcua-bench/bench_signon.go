package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/web/auth"
)

// benchSignOn measures the national sign-on's round trip on loopback
// against `serve --demo` and its simulated VNeID provider (in the same
// process, as a real provider would be across the network without its
// latency): the sign-in link (state, nonce, PKCE kept), the provider's
// authorize and login (the identity chosen), the callback (the code
// exchanged, the ID token verified, the account found, the session
// opened) — four requests a browser makes, one after the other. The
// baseline in the same run is a password login (one request, argon2id).
func benchSignOn(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench signon", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 200, "sign-ins per run")
	runs := fs.Int("runs", 3, "runs; the median run (by p50) is printed, with the range of the p50s")
	who := fs.String("identity", "lethimai-vneid", "demo identity signed in")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *runs < 1 {
		return cli.UsageError("signon: -n and --runs must be at least 1")
	}
	dir, err := os.MkdirTemp("", "motcua-bench-signon")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := motcuaBinary(ctx, *bin, dir)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, self, []string{"--demo", "--data", filepath.Join(dir, "data"), "--nats", "off"}, false, filepath.Join(dir, "server.log"))
	if err != nil {
		return err
	}
	defer srv.stop()
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	signIn := func() error {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: noRedirect, Timeout: 30 * time.Second}
		step := func(req *http.Request, want int) (*url.URL, error) {
			res, err := c.Do(req)
			if err != nil {
				return nil, err
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != want {
				return nil, fmt.Errorf("%s %s: %d, want %d: %.300s", req.Method, req.URL.Path, res.StatusCode, want, b)
			}
			return res.Location()
		}
		get := func(u string) *http.Request { r, _ := http.NewRequestWithContext(ctx, "GET", u, nil); return r }
		to, err := step(get(srv.base+"/dang-nhap/sso/demo?next=/"), http.StatusSeeOther)
		if err != nil {
			return err
		}
		login, err := step(get(to.String()), http.StatusFound)
		if err != nil {
			return err
		}
		form := url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "identity": {*who}}
		post, _ := http.NewRequestWithContext(ctx, "POST", login.Scheme+"://"+login.Host+login.Path, strings.NewReader(form.Encode()))
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		back, err := step(post, http.StatusFound)
		if err != nil {
			return err
		}
		if _, err := step(get(back.String()), http.StatusSeeOther); err != nil {
			return err
		}
		base, _ := url.Parse(srv.base)
		for _, ck := range jar.Cookies(base) {
			if ck.Name == auth.SessionCookie && ck.Value != "" {
				return nil
			}
		}
		return fmt.Errorf("no session cookie after the callback")
	}
	password := func() error {
		res, err := http.Post(srv.base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"congdan","password":"demo"}`))
		if err != nil {
			return err
		}
		defer res.Body.Close()
		_, _ = io.Copy(io.Discard, res.Body)
		if res.StatusCode != 200 {
			return fmt.Errorf("password login: %d", res.StatusCode)
		}
		return nil
	}
	measure := func(do func() error) ([]time.Duration, error) {
		lat := make([]time.Duration, 0, *n)
		for range *n {
			start := time.Now()
			if err := do(); err != nil {
				return nil, err
			}
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		return lat, nil
	}
	pct := func(l []time.Duration, p int) time.Duration { return l[min(len(l)-1, len(l)*p/100)] }
	type run struct{ signOn, pass []time.Duration }
	var rs []run
	for range *runs {
		so, err := measure(signIn)
		if err != nil {
			return err
		}
		pw, err := measure(password)
		if err != nil {
			return err
		}
		rs = append(rs, run{so, pw})
	}
	slices.SortFunc(rs, func(a, b run) int { return int(pct(a.signOn, 50) - pct(b.signOn, 50)) })
	m := rs[len(rs)/2]
	spreadOf := func(get func(run) []time.Duration) string {
		lo, hi := pct(get(rs[0]), 50), pct(get(rs[0]), 50)
		for _, r := range rs {
			lo, hi = min(lo, pct(get(r), 50)), max(hi, pct(get(r), 50))
		}
		return ms(lo) + "–" + ms(hi)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "measurement\tsign-ins\tp50\tp90\tp99\tp50 over %d runs\n", *runs)
	fmt.Fprintf(tw, "national sign-on round trip (4 requests: link, authorize, login, callback)\t%d\t%s\t%s\t%s\t%s\n", *n, ms(pct(m.signOn, 50)), ms(pct(m.signOn, 90)), ms(pct(m.signOn, 99)), spreadOf(func(r run) []time.Duration { return r.signOn }))
	fmt.Fprintf(tw, "baseline: password login (1 request, argon2id)\t%d\t%s\t%s\t%s\t%s\n", *n, ms(pct(m.pass, 50)), ms(pct(m.pass, 90)), ms(pct(m.pass, 99)), spreadOf(func(r run) []time.Duration { return r.pass }))
	return tw.Flush()
}
