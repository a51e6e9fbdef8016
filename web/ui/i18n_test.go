package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/wallet"
)

// TestMain fails the package's tests when a page asked for a key the
// catalogue lacks (production only logs it).
func TestMain(m *testing.M) {
	var mu sync.Mutex
	var missing []string
	missingText = func(key string) {
		mu.Lock()
		defer mu.Unlock()
		missing = append(missing, key)
	}
	code := m.Run()
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: keys missing from the catalogue: %q\n", missing)
		code = 1
	}
	os.Exit(code)
}

// untranslated are the keys whose English is still the Vietnamese text, as
// the pages have shown them; translating one means removing it from here.
var untranslated = []string{
	"submit.shared_data_unavailable",
}

// checkKeyUse reports a problem with a key used at where: it must be shaped
// like a key and have a text in both languages.
func checkKeyUse(t *testing.T, where, key string) {
	t.Helper()
	if !isKey(key) {
		t.Errorf("%s: %q is not a key of the catalogue (a sentence passed to T?)", where, key)
		return
	}
	if !hasText(key) {
		t.Errorf("%s: no text for key %q", where, key)
	}
}

// TestEnglishComplete: every key the templates give T or Tf is a key of
// the catalogue, never a sentence.
func TestEnglishComplete(t *testing.T) {
	re := regexp.MustCompile(`\.Tf? ("(?:[^"\\]|\\.)*")`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				key, err := strconv.Unquote(m[1])
				if err != nil {
					t.Fatalf("%s:%d: %s: %v", f, i+1, m[1], err)
				}
				n++
				checkKeyUse(t, fmt.Sprintf("%s:%d", f, i+1), key)
			}
		}
	}
	if n == 0 {
		t.Fatal("no key found in the templates")
	}
}

// keyCalls are the functions whose argument at the index is a key (or,
// for base, a key or a name; a literal must be a key).
var keyCalls = map[string]int{"T": 0, "Tf": 0, "translate": 1, "base": 2, "adminRefuse": 2, "keyOr": 0}

// TestGoKeys: every key the Go code of the pages writes — given to T, Tf,
// translate, base, adminRefuse, or any string literal shaped like a key in
// a namespace of the catalogue (option tables, the …Key functions) — has
// its texts. The keys of errors (errs.New, errs.FieldError) are not texts.
func TestGoKeys(t *testing.T) {
	spaces := map[string]bool{}
	for k := range texts {
		spaces[k[:strings.IndexByte(k, '.')]] = true
	}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "i18n") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		skip := map[*ast.BasicLit]bool{}
		lits := func(n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				if l, ok := n.(*ast.BasicLit); ok {
					skip[l] = true
				}
				return true
			})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == "errs" {
						lits(x)
					}
				}
				var fn string
				switch fun := x.Fun.(type) {
				case *ast.Ident:
					fn = fun.Name
				case *ast.SelectorExpr:
					fn = fun.Sel.Name
				}
				if i, ok := keyCalls[fn]; ok && i < len(x.Args) {
					if l, ok := x.Args[i].(*ast.BasicLit); ok && l.Kind == token.STRING {
						key, _ := strconv.Unquote(l.Value)
						if !(fn == "base" && key == "") { // a title set afterwards
							checkKeyUse(t, fset.Position(l.Pos()).String(), key)
						}
						skip[l] = true
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok && id.Name == "Key" {
					lits(x.Value)
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			l, ok := n.(*ast.BasicLit)
			if !ok || l.Kind != token.STRING || skip[l] {
				return true
			}
			s, _ := strconv.Unquote(l.Value)
			if isKey(s) && spaces[s[:strings.IndexByte(s, '.')]] {
				count++
				checkKeyUse(t, fset.Position(l.Pos()).String(), s)
			}
			return true
		})
	}
	if count == 0 {
		t.Fatal("no key literal found in the Go code")
	}
}

// TestDomainKeys: every code the pages name has the key of its name, and
// the Vietnamese of a domain's name is the domain's own.
func TestDomainKeys(t *testing.T) {
	known := func(what, key string) {
		t.Helper()
		if !isKey(key) || !hasText(key) {
			t.Errorf("%s: %q is not a key of the catalogue", what, key)
		}
	}
	for st := dossier.StatusNew; st <= dossier.StatusReturned; st++ {
		known("status", statusKey(int(st)))
		if got := translate("vi", statusKey(int(st))); got != st.Name() {
			t.Errorf("status %d: %q, the domain says %q", st, got, st.Name())
		}
	}
	if got := statusKey(99); got != dossier.Status(99).Name() {
		t.Errorf("an unknown status shows %q", got)
	}
	for _, a := range append([]dossier.Action{dossier.ActSubmit}, dossier.Actions...) {
		known("action", actionKey(a))
	}
	if got := actionKey("nope"); got != "nope" {
		t.Errorf("an unknown action shows %q", got)
	}
	for _, r := range identity.Roles {
		known("role", roleKey(r))
	}
	for _, c := range []dossier.Channel{dossier.ChannelInPerson, dossier.ChannelOnline, dossier.ChannelPost} {
		known("channel", channelKey(c))
	}
	for n := 1; n <= 7; n++ {
		known("printform", printformKey(fmt.Sprintf("%02d", n)))
	}
	for _, c := range (pki.Report{}).Checks() {
		known("check", checkKey(c))
	}
	for _, ds := range registry.Builtin() {
		for _, p := range ds.Policies {
			known("purpose", purposeKey(p.Purpose))
		}
	}
	for _, r := range registry.Rules {
		known("rule", ruleKey(r))
	}
	for _, k := range []wallet.Kind{wallet.KindResult, wallet.KindDigitized, wallet.KindUpload} {
		known("document kind", documentKindKey(k))
	}
	for _, ds := range []string{registry.Population, registry.CivilStatus} {
		known("dataset", datasetKey(ds))
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		known("weekday", weekdayKey(d))
	}
	for _, k := range unit.Kinds {
		known("agency kind", admAgencyKindKey(k))
	}
	for _, l := range []catalog.Level{catalog.LevelCommune, catalog.LevelProvince} {
		known("level", levelKey(l))
	}
	for _, o := range []catalog.OnlineLevel{catalog.OnlineFull, catalog.OnlinePartial, "none"} {
		known("online level", onlineKey(o))
	}
	for _, f := range []catalog.ComponentForm{catalog.FormOriginal, catalog.FormCopy, catalog.FormEither} {
		known("component form", componentFormKey(f))
	}
	for _, k := range []string{calendar.KindRule, calendar.KindMakeup, calendar.KindSchedule} {
		known("holiday kind", keyOr("holiday_kind."+k, k))
	}
	for _, mode := range []string{"own", "inbox", "scope"} {
		known("heading", "dossiers.heading."+mode)
	}
	for i := range 2 {
		known("period", admPeriodLabel(i))
	}
	for _, st := range portalsync.States {
		known("sync state", syncStateKey(st))
		if got := translate("vi", syncStateKey(st)); got != portalsync.StateName(st) {
			t.Errorf("sync state %s: %q, the domain says %q", st, got, portalsync.StateName(st))
		}
	}
	for _, key := range answerKeys {
		known("answer", key)
	}
	for _, opts := range [][]admOption{admLevels, admOnline, admSupplement, admForms, admApplicants, admProvisional, admKinds, admAgencyKindOptions(), admStepRoles(), admRoles()} {
		for _, o := range opts {
			known("option "+o.Value, o.Label)
		}
	}
}

// TestTexts: every key has its Vietnamese and its English, the English
// differs from the Vietnamese (but for the keys still untranslated), and
// both have the same fmt verbs in the same order.
func TestTexts(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?[a-zA-Z]`)
	for k, x := range texts {
		if strings.TrimSpace(x.VI) == "" || strings.TrimSpace(x.EN) == "" {
			t.Errorf("%s: empty text %+v", k, x)
		}
		if same := x.EN == x.VI; same != slices.Contains(untranslated, k) {
			t.Errorf("%s: English %q, Vietnamese %q: untranslated is %v", k, x.EN, x.VI, untranslated)
		}
		if vi, en := verbs.FindAllString(x.VI, -1), verbs.FindAllString(x.EN, -1); !slices.Equal(vi, en) {
			t.Errorf("%s: verbs %q in Vietnamese, %q in English", k, vi, en)
		}
	}
	for _, k := range untranslated {
		if !hasText(k) {
			t.Errorf("untranslated key %q is not in the catalogue", k)
		}
	}
}

// TestNoUnusedTexts: every key of the catalogue is asked for somewhere — a
// page, a Go call, a key built from a prefix and a code ("status." + code,
// print "dossier.delivery_" .Method, admCodes) — so that no text is left
// behind when a page changes.
func TestNoUnusedTexts(t *testing.T) {
	var src strings.Builder
	for _, glob := range []string{"*.go", "templates/*.html", "static/*.js"} {
		files, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
			src.WriteByte('\n')
		}
	}
	code := src.String()
	// A key given whole: quoted, but not where the catalogue defines it.
	quoted := map[string]bool{}
	for _, m := range regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"(\s*:\s*\{)?`).FindAllStringSubmatch(code, -1) {
		if m[2] == "" {
			quoted[m[1]] = true
		}
	}
	// A key built from a prefix ("status.", "dossier.delivery_") and a code.
	var prefixes []string
	for _, m := range regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*[._])"`).FindAllStringSubmatch(code, -1) {
		prefixes = append(prefixes, m[1])
	}
	for _, m := range regexp.MustCompile(`admCodes\("([a-z_]+)"((?:, "[a-z0-9_]+")+)\)`).FindAllStringSubmatch(code, -1) {
		for _, c := range regexp.MustCompile(`"([a-z0-9_]+)"`).FindAllStringSubmatch(m[2], -1) {
			quoted[m[1]+"."+c[1]] = true
		}
	}
	if len(quoted) < 500 || len(prefixes) < 10 {
		t.Fatalf("found %d keys and %d prefixes in the sources: the patterns no longer read them", len(quoted), len(prefixes))
	}
	var unused []string
	for k := range texts {
		if !quoted[k] && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			unused = append(unused, k)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("%d texts no page or call asks for (delete them, or use them): %s", len(unused), strings.Join(unused, ", "))
	}
}

// TestTranslate is the rule of translate: a key's text in the language,
// the Vietnamese when the language has none; a data value as is; a
// missing key as is, and reported.
func TestTranslate(t *testing.T) {
	texts["test.only_vi"] = text{VI: "Chỉ tiếng Việt"}
	defer delete(texts, "test.only_vi")
	var missed []string
	defer func(f func(string)) { missingText = f }(missingText)
	missingText = func(key string) { missed = append(missed, key) }
	for _, tc := range []struct{ lang, in, want string }{
		{"vi", "nav.sign_in", "Đăng nhập"},
		{"en", "nav.sign_in", "Sign in"},
		{"fr", "nav.sign_in", "Đăng nhập"},
		{"en", "test.only_vi", "Chỉ tiếng Việt"},
		{"en", "UBND xã Tây Hồ", "UBND xã Tây Hồ"},
		{"en", "Ca 3", "Ca 3"},
		{"en", "000.00.12.H26", "000.00.12.H26"},
		{"en", "", ""},
		{"en", "nav.no_such_key", "nav.no_such_key"},
	} {
		if got := translate(tc.lang, tc.in); got != tc.want {
			t.Errorf("translate(%q, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
	if !slices.Equal(missed, []string{"nav.no_such_key"}) {
		t.Errorf("reported missing %q", missed)
	}
	if got := (page{Lang: "en"}).Tf("procedure.count", 3); got != "3 procedures" {
		t.Errorf("Tf = %q", got)
	}
}
