package democlient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// WalkProcedure is the procedure walked: birth registration, handled by the
// citizen's commune (the guided journey of the README).
const WalkProcedure = "1.001193"

// WalkOfficials are the demo accounts of Phường Ba Đình (the demo citizen's
// commune) by the role of a workflow step; the receiver receives and the
// clerk returns, as in the README's guided journey.
var WalkOfficials = map[string]string{
	"receiver":   "tiepnhanxa",
	"specialist": "chuyenvien",
	"leader":     "lanhdao",
	"clerk":      "vanthu",
}

// maxErrors is how many error messages a Walker keeps.
const maxErrors = 5

// Walker walks dossiers of WalkProcedure from submission to return over
// the API of one or more nodes serving the same store; its methods are
// safe for concurrent clients. The requests of a walk go to the nodes in
// turn: request i of the k-th walk to node (k+i) mod N, so that with
// several nodes each request lands on another node than the one that
// answered the previous one.
type Walker struct {
	client  *http.Client
	bases   []string          // the nodes' base URLs
	body    string            // the submission, its files uploaded
	citizen string            // congdan's token
	byRole  map[string]string // officials' tokens by the role of a step
	walks   atomic.Uint64
	actions atomic.Int64
	last    atomic.Value // string

	mu     sync.Mutex
	errs   map[string]int
	errMsg []string

	// OnAnswer, when set, is told of every dossier answered 2xx: its code,
	// version and status as acknowledged (the crash test checks none is
	// lost). Set it before the first Walk.
	OnAnswer func(code string, version, status int)
}

// NewWalker logs the citizen and the officials in at the first of bases
// (tokens are in the store: every node accepts them) and uploads the
// citizen's papers.
func NewWalker(client *http.Client, bases ...string) (*Walker, error) {
	if len(bases) == 0 {
		return nil, errors.New("walker: no server")
	}
	body, citizen, err := Submission(client, bases[0], WalkProcedure)
	if err != nil {
		return nil, err
	}
	w := &Walker{client: client, bases: bases, body: body, citizen: citizen, byRole: map[string]string{}, errs: map[string]int{}}
	for role, user := range WalkOfficials {
		if w.byRole[role], err = Login(client, bases[0], user); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Actions is the number of requests answered 2xx so far.
func (w *Walker) Actions() int64 { return w.actions.Load() }

// Last is the code of a dossier walked to the end, "" before any.
func (w *Walker) Last() string {
	s, _ := w.last.Load().(string)
	return s
}

// Errors are the requests not answered 2xx (or whose walk went wrong) by
// key: the status, "net" (no answer) or "walk", and the first messages.
func (w *Walker) Errors() (map[string]int, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	errs := make(map[string]int, len(w.errs))
	for k, n := range w.errs {
		errs[k] = n
	}
	return errs, append([]string(nil), w.errMsg...)
}

// walkDossier is what the walk reads of each answer.
type walkDossier struct {
	Code        string `json:"code"`
	Status      int    `json:"status"`
	Version     int    `json:"version"`
	CurrentStep *struct {
		Role string `json:"role"`
	} `json:"current_step"`
}

// Walk is one dossier from submission to return: six requests, each
// official acting on the version the previous answer showed (If-Match)
// and the open step's role saying who acts next. It returns the dossier's
// code once the submission was answered (also when a later request
// failed) and nil only when the dossier was returned (status 10).
func (w *Walker) Walk(ctx context.Context) (string, error) {
	k := w.walks.Add(1) - 1
	i := uint64(0)
	node := func() string { // the node of the walk's next request
		i++
		return w.bases[(k+i-1)%uint64(len(w.bases))]
	}
	d, err := w.post(ctx, node(), "/api/v1/dossiers", w.citizen, 0, w.body)
	if err != nil {
		return "", err
	}
	code := d.Code
	if d, err = w.act(ctx, node(), d, "receiver", "receive"); err != nil {
		return code, err
	}
	for n := 0; d.CurrentStep != nil; n++ {
		if n == 20 {
			return code, w.fail(ctx, "walk", fmt.Errorf("dossier %s: more than 20 steps", code))
		}
		if d, err = w.act(ctx, node(), d, d.CurrentStep.Role, "complete_step"); err != nil {
			return code, err
		}
	}
	if d.Status != 9 {
		return code, w.fail(ctx, "walk", fmt.Errorf("dossier %s: status %d after its last step, not 9", code, d.Status))
	}
	if d, err = w.act(ctx, node(), d, "clerk", "return"); err != nil {
		return code, err
	}
	if d.Status != 10 {
		return code, w.fail(ctx, "walk", fmt.Errorf("dossier %s: status %d after return, not 10", code, d.Status))
	}
	w.last.Store(code)
	return code, nil
}

// act posts an action on d as the official holding role to the node at base.
func (w *Walker) act(ctx context.Context, base string, d walkDossier, role, action string) (walkDossier, error) {
	tok, ok := w.byRole[role]
	if !ok {
		return d, w.fail(ctx, "walk", fmt.Errorf("dossier %s: no demo official for a step of role %q", d.Code, role))
	}
	return w.post(ctx, base, "/api/v1/dossiers/"+url.PathEscape(d.Code)+"/actions", tok, d.Version, `{"action":"`+action+`"}`)
}

// post sends a JSON body with a bearer token (and If-Match: "version"
// unless version is 0) and reads the dossier answered.
func (w *Walker) post(ctx context.Context, base, path, token string, version int, body string) (walkDossier, error) {
	var d walkDossier
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		return d, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if version > 0 {
		req.Header.Set("If-Match", `"`+strconv.Itoa(version)+`"`)
	}
	res, err := w.client.Do(req)
	if err != nil {
		return d, w.fail(ctx, "net", err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return d, w.fail(ctx, "net", err)
	}
	if res.StatusCode/100 != 2 {
		return d, w.fail(ctx, strconv.Itoa(res.StatusCode), fmt.Errorf("POST %s%s: %d %.300s", base, path, res.StatusCode, b))
	}
	w.actions.Add(1)
	if err := json.Unmarshal(b, &d); err != nil {
		return d, w.fail(ctx, "walk", fmt.Errorf("POST %s%s: %w", base, path, err))
	}
	if w.OnAnswer != nil && d.Code != "" {
		w.OnAnswer(d.Code, d.Version, d.Status)
	}
	return d, nil
}

// fail counts an error under key, unless the run is over (the request
// was cut by the end of the measurement).
func (w *Walker) fail(ctx context.Context, key string, err error) error {
	if ctx.Err() != nil {
		return err
	}
	w.mu.Lock()
	w.errs[key]++
	if len(w.errMsg) < maxErrors {
		w.errMsg = append(w.errMsg, err.Error())
	}
	w.mu.Unlock()
	return err
}

// Login returns the bearer token of a demo account (password demo; the
// code of the demo's TOTP secret when the account has a second factor).
func Login(client *http.Client, base, user string) (string, error) {
	out, err := loginStep(client, base+"/api/v1/auth/login", `{"username":"`+user+`","password":"demo"}`)
	if err != nil {
		return "", fmt.Errorf("log in %s: %w", user, err)
	}
	if out.SecondFactorRequired {
		code, err := DemoCode(base, user)
		if err != nil {
			return "", err
		}
		if out, err = loginStep(client, base+"/api/v1/auth/login/second-factor", `{"challenge":"`+out.Challenge+`","code":"`+code+`"}`); err != nil {
			return "", fmt.Errorf("log in %s, second factor: %w", user, err)
		}
	}
	if out.Token == "" {
		return "", fmt.Errorf("log in %s: no token", user)
	}
	return out.Token, nil
}

type loginAnswer struct {
	Token, Challenge     string
	SecondFactorRequired bool `json:"second_factor_required"`
}

func loginStep(client *http.Client, url, body string) (loginAnswer, error) {
	var out loginAnswer
	res, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return out, err
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		return out, fmt.Errorf("status %d, %v", res.StatusCode, err)
	}
	return out, nil
}
