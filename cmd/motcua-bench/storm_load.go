package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/democlient"
)

// storm posts bodies from conc anonymous clients until ctx ends, each
// client one request after another in the order of stormMix, and returns
// the answers by body and status. The clients do as an attacker does: they
// ignore Retry-After, and set the CSRF cookie their forms repeat. After a
// request that got no answer (a reset, a refused connection) a client
// waits 50 ms, so that a dead server is not hammered in a busy loop.
func storm(ctx context.Context, base string, conc int, bodies []stormBody) []map[string]int {
	tr := &http.Transport{MaxIdleConnsPerHost: conc, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 2 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var mu sync.Mutex
	total := make([]map[string]int, len(bodies))
	for i := range total {
		total[i] = map[string]int{}
	}
	var wg sync.WaitGroup
	for c := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := make([]map[string]int, len(bodies))
			for i := range counts {
				counts[i] = map[string]int{}
			}
			for k := 0; ctx.Err() == nil; k++ {
				i := stormMix[(c+k)%len(stormMix)]
				status := post(ctx, client, base, bodies[i], fmt.Sprintf("storm-%02d-%08d", c, k))
				if ctx.Err() != nil {
					break // cut by the end of the storm: not an answer
				}
				counts[i][status]++
				if status == "net" {
					select {
					case <-ctx.Done():
					case <-time.After(50 * time.Millisecond):
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for i, m := range counts {
				for k, n := range m {
					total[i][k] += n
				}
			}
		}()
	}
	wg.Wait()
	return total
}

// post sends one body and returns the answer's status: "503" with
// Retry-After, "503 without Retry-After", "net" when there was none.
func post(ctx context.Context, client *http.Client, base string, b stormBody, user string) string {
	var body io.Reader = bytes.NewReader(b.body)
	n := int64(len(b.body))
	if b.user != nil {
		head := b.user(user)
		body, n = io.MultiReader(strings.NewReader(head), body), n+int64(len(head))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+b.path, body)
	if err != nil {
		return "net"
	}
	req.ContentLength = n
	req.Header.Set("Content-Type", b.ctype)
	if !strings.HasPrefix(b.path, "/api/") {
		req.AddCookie(&http.Cookie{Name: "motcua_csrf", Value: stormCSRF})
	}
	res, err := client.Do(req)
	if err != nil {
		return "net"
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	status := strconv.Itoa(res.StatusCode)
	if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
		status += " without Retry-After"
	}
	return status
}

// official is the commune's receiver (tiepnhanxa) signed in to the pages,
// with the pages a receiver opens all day: the inbox and a dossier.
type official struct {
	client *http.Client
	base   string
	pages  []officialPage
}

type officialPage struct{ name, path string }

// newOfficial submits dossiers dossiers as the demo citizen (through the
// API, as the submit benchmark does), so that the receiver's inbox lists
// pages of them, and signs the receiver in through the login page.
func newOfficial(ctx context.Context, base string, dossiers int) (*official, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body, token, err := democlient.Submission(client, base, democlient.WalkProcedure)
	if err != nil {
		return nil, err
	}
	var codes []string
	for range dossiers {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/dossiers", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		var d struct{ Code string }
		err = json.NewDecoder(res.Body).Decode(&d)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusCreated || d.Code == "" {
			return nil, fmt.Errorf("submit a dossier: status %d, %v", res.StatusCode, err)
		}
		codes = append(codes, d.Code)
	}
	// The login page sets the CSRF cookie its form repeats.
	res, err := client.Get(base + "/dang-nhap")
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	u, _ := url.Parse(base)
	csrf := ""
	for _, c := range jar.Cookies(u) {
		if c.Name == "motcua_csrf" {
			csrf = c.Value
		}
	}
	form := url.Values{"csrf": {csrf}, "username": {"tiepnhanxa"}, "password": {"demo"}}
	res, err = client.PostForm(base+"/dang-nhap", form)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("log tiepnhanxa in through the login page: status %d", res.StatusCode)
	}
	o := &official{client: client, base: base, pages: []officialPage{
		{"inbox /ho-so", "/ho-so"},
		{"dossier /ho-so/{code}", "/ho-so/" + url.PathEscape(codes[0])},
	}}
	// Both pages answer, signed in, and show dossiers submitted; and a
	// few untimed rounds warm the server's caches.
	for i := range 10 {
		for _, p := range o.pages {
			b, status, _, err := o.get(ctx, p.path)
			if err != nil {
				return nil, err
			}
			shown := slices.ContainsFunc(codes, func(c string) bool { return bytes.Contains(b, []byte(c)) })
			if i == 0 && (status != http.StatusOK || !shown) {
				return nil, fmt.Errorf("GET %s as tiepnhanxa: status %d, a dossier submitted shown: %t", p.path, status, shown)
			}
		}
	}
	return o, nil
}

// get fetches a page and returns its body, its status and the time to its
// last byte.
func (o *official) get(ctx context.Context, path string) ([]byte, int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.base+path, nil)
	if err != nil {
		return nil, 0, 0, err
	}
	start := time.Now()
	res, err := o.client.Do(req)
	if err != nil {
		return nil, 0, 0, err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	return b, res.StatusCode, time.Since(start), err
}

// pageResult is what the official's browsing measured, by page (index of
// official.pages).
type pageResult struct {
	lat    [][]time.Duration // of the pages answered 200
	failed []map[string]int  // the others, by status ("net": no answer)
}

func newPageResult(pages int) pageResult {
	r := pageResult{lat: make([][]time.Duration, pages), failed: make([]map[string]int, pages)}
	for i := range r.failed {
		r.failed[i] = map[string]int{}
	}
	return r
}

// all is the latencies of every page together.
func (p pageResult) all() loadResult {
	var r loadResult
	for _, l := range p.lat {
		r.lat = append(r.lat, l...)
	}
	slices.Sort(r.lat)
	return r
}

// browse opens the official's pages in turn, one at a time, for d or
// until ctx ends.
func (o *official) browse(ctx context.Context, d time.Duration) pageResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	r := newPageResult(len(o.pages))
	for k := 0; ctx.Err() == nil; k++ {
		i := k % len(o.pages)
		_, status, lat, err := o.get(ctx, o.pages[i].path)
		switch {
		case err != nil && ctx.Err() != nil:
			// cut by the end of the phase
		case err != nil:
			r.failed[i]["net"]++
			time.Sleep(50 * time.Millisecond)
		case status != http.StatusOK:
			r.failed[i][strconv.Itoa(status)]++
		default:
			r.lat[i] = append(r.lat[i], lat)
		}
	}
	return r
}
