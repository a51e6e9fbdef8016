// Package search ranks the procedures of the catalogue by how well they
// match what a citizen types: any of the words, each weighted by its rarity
// (BM25F over the name, the curated everyday terms and the field), pairs of
// adjacent syllables ("khai sinh") as well as single ones, diacritics folded
// (vntext.Fold) with i/y spelled alike ("đăng kí"), and words mistyped by
// one or two letters, left with Telex or VNI keys ("dangw kys", "d9ang9")
// or run together ("dangky") mapped to the words of the catalogue.
//
// The index lives in memory: it is built from the catalogue's summaries and
// terms (a few milliseconds for the demo's 54 procedures) and rebuilt whole
// when either changes, so it ranks the same on SQLite and PostgreSQL.
package search

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/vntext"
)

// Term maps an everyday or regional phrase to procedures.
type Term = catalog.SearchTerm

// Fields of a procedure, and their weights in BM25F.
const (
	fName = iota
	fAlias
	fField
	nFields
)

var (
	fieldWeight = [nFields]float64{1.0, 1.0, 0.3}
	fieldB      = [nFields]float64{0.6, 0.2, 0.5}
)

const (
	k1 = 1.2
	// minShare drops matches scoring below this share of the best one:
	// a procedure that shares only "đăng ký" with a query about "khai
	// sinh" is no answer.
	minShare = 0.2
)

type posting struct {
	doc int32
	tf  [nFields]float32
}

type doc struct {
	sum    catalog.Summary
	length [nFields]float32
	name   []string // the name's tokens, for the whole-name bonus
}

type phrase struct {
	toks []string
	docs []int32
}

// Index is an immutable search index over a catalogue. It is safe for
// concurrent use.
type Index struct {
	docs     []doc
	post     map[string][]posting // unigrams and "a b" bigrams
	avg      [nFields]float64
	words    []string         // the unigram vocabulary, sorted
	origin   map[string]int32 // token -> a text it was found in (texts)
	texts    []string         // the texts indexed, for display
	phrases  []phrase         // the terms
	byLength map[int][]string // unigrams by length, for fuzzy look-ups
	codes    map[string]int32 // code -> doc
}

// Hit is one matching procedure.
type Hit struct {
	Summary catalog.Summary
	Score   float64
}

// Result is the ranked answer to a query.
type Result struct {
	Hits []Hit
	// Suggestion is the query as the catalogue spells it ("Bạn có muốn
	// tìm: …"), set when a word of the query was not found as typed and
	// the corrected query finds something; empty otherwise.
	Suggestion string
}

// stop are words of a question that say nothing of the procedure wanted
// ("tôi muốn làm … thì cần gì"). They still pair with their neighbours in
// bigrams ("công ty cổ phần") but score nothing alone.
var stop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`tôi mình muốn cần phải làm nào đâu gì nhiêu không được à ạ ơi nhé
		với thủ tục hỏi giúp cách như của là thì mà và này vậy rồi các những một để hay hoặc xin nộp ở`) {
		w = vntext.Fold(w)
		stop[norm(w)] = true
	}
}

// norm is a folded word as the index keeps it: y spelled i ("kí" and "ký"
// alike, the old and new spellings).
func norm(w string) string {
	return strings.ReplaceAll(w, "y", "i")
}

// tokens folds s and splits it into index tokens.
func tokens(s string) []string {
	f := strings.Fields(vntext.Fold(s))
	for i, w := range f {
		f[i] = norm(w)
	}
	return f
}

// Build indexes the procedures and the terms. A term's codes that name no
// procedure are ignored.
func Build(procs []catalog.Summary, terms []Term) *Index {
	ix := &Index{post: map[string][]posting{}, origin: map[string]int32{}, byLength: map[int][]string{}, codes: map[string]int32{}}
	ix.docs = make([]doc, len(procs))
	for i, p := range procs {
		ix.docs[i].sum = p
		ix.codes[p.Code] = int32(i)
	}
	// The terms of each procedure.
	aliases := make([][]string, len(procs))
	for _, t := range terms {
		ph := phrase{toks: tokens(t.Phrase)}
		if len(ph.toks) == 0 {
			continue
		}
		for _, c := range t.Codes {
			d, ok := ix.codes[c]
			if !ok || slices.Contains(ph.docs, d) {
				continue
			}
			ph.docs = append(ph.docs, d)
			aliases[d] = append(aliases[d], t.Phrase)
		}
		if len(ph.docs) > 0 {
			ix.phrases = append(ix.phrases, ph)
		}
	}
	cache := map[string][]string{} // fields and terms repeat
	tf := map[string]*[nFields]float32{}
	var pool [][nFields]float32 // tf's values, reused from one document to the next
	add := func(d int, field int, text string) []string {
		toks, ok := cache[text]
		if !ok {
			toks = tokens(text)
			if field != fName {
				cache[text] = toks
			}
			for _, t := range toks {
				if _, ok := ix.origin[t]; !ok {
					ix.origin[t] = int32(len(ix.texts))
				}
			}
			ix.texts = append(ix.texts, text)
		}
		put := func(t string) {
			e := tf[t]
			if e == nil {
				pool = append(pool, [nFields]float32{})
				e = &pool[len(pool)-1]
				tf[t] = e
			}
			e[field]++
		}
		for i, t := range toks {
			put(t)
			if i > 0 {
				put(toks[i-1] + " " + t)
			}
		}
		ix.docs[d].length[field] += float32(len(toks))
		return toks
	}
	for d, p := range procs {
		clear(tf)
		pool = make([][nFields]float32, 0, 64)
		ix.docs[d].name = add(d, fName, p.Name)
		add(d, fField, p.Field)
		for _, a := range aliases[d] {
			add(d, fAlias, a)
		}
		for t, e := range tf {
			ix.post[t] = append(ix.post[t], posting{doc: int32(d), tf: *e})
		}
	}
	for f := range nFields {
		var sum float64
		for _, d := range ix.docs {
			sum += float64(d.length[f])
		}
		if len(ix.docs) > 0 {
			ix.avg[f] = max(sum/float64(len(ix.docs)), 1)
		}
	}
	for t := range ix.post {
		if !strings.Contains(t, " ") {
			ix.words = append(ix.words, t)
			n := len(t)
			ix.byLength[n] = append(ix.byLength[n], t)
		}
	}
	sort.Strings(ix.words)
	for _, l := range ix.byLength {
		sort.Strings(l)
	}
	return ix
}

// Len is the number of procedures indexed.
func (ix *Index) Len() int { return len(ix.docs) }

func (ix *Index) idf(t string) float64 {
	df := float64(len(ix.post[t]))
	n := float64(len(ix.docs))
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// cand is one reading of a typed word: a word of the index and how sure
// the reading is (1 as typed, less for a correction).
type cand struct {
	tok string
	w   float64
}

// slot is one word of the query with its readings; typed is false when
// the word was not found as typed.
type slot struct {
	typed  string
	cands  []cand
	direct bool
}

// Search ranks the procedures for text. Filter, when not nil, keeps only
// the procedures it accepts.
func (ix *Index) Search(text string, filter func(catalog.Summary) bool) Result {
	slots := ix.read(tokens(text), false)
	hits := ix.score(slots, filter)
	var res Result
	corrected := false // a word not found as typed
	for _, s := range slots {
		if !s.direct && !stop[s.typed] {
			corrected = true
		}
	}
	res.Hits = hits
	if corrected {
		loose := ix.read(tokens(text), true)
		if len(ix.score(loose, filter)) > 0 {
			if sug := ix.spell(loose); sug != "" && vntext.Fold(sug) != vntext.Fold(text) {
				res.Suggestion = sug
			}
		}
	}
	return res
}

// spell writes the best reading of every slot with its diacritics.
func (ix *Index) spell(slots []slot) string {
	var out []string
	for _, s := range slots {
		if len(s.cands) == 0 {
			continue
		}
		best := ix.best(s.cands)
		for _, t := range strings.Fields(best.tok) {
			out = append(out, ix.display(t))
		}
	}
	return strings.Join(out, " ")
}

// display is token t as the catalogue writes it, with its diacritics.
func (ix *Index) display(t string) string {
	id, ok := ix.origin[t]
	if !ok {
		return t
	}
	text := ix.texts[id]
	toks, words := tokens(text), strings.Fields(vntext.Lower(text))
	if len(toks) == len(words) {
		for i, w := range toks {
			if w == t {
				return words[i]
			}
		}
	}
	return t
}

// best is the likeliest reading: the surest, then the commonest word.
func (ix *Index) best(cs []cand) cand {
	b := cs[0]
	for _, c := range cs[1:] {
		if c.w > b.w || c.w == b.w && len(ix.post[c.tok]) > len(ix.post[b.tok]) {
			b = c
		}
	}
	return b
}

// read maps the typed words to words of the index. loose widens the
// allowed edit distance (for "did you mean" only).
func (ix *Index) read(typed []string, loose bool) []slot {
	var out []slot
	for i, w := range typed {
		last := i == len(typed)-1
		if _, ok := ix.post[w]; ok {
			out = append(out, slot{typed: w, cands: []cand{{w, 1}}, direct: true})
			continue
		}
		if stop[w] {
			out = append(out, slot{typed: w, direct: true})
			continue
		}
		// Telex or VNI keys left in the word.
		if c := ix.unkey(w); c != "" {
			out = append(out, slot{typed: w, cands: []cand{{c, 0.95}}})
			continue
		}
		// Two words run together.
		if a, b := ix.split(w); a != "" {
			out = append(out, slot{typed: w, cands: []cand{{a, 0.9}}}, slot{typed: w, cands: []cand{{b, 0.9}}})
			continue
		}
		s := slot{typed: w, cands: ix.fuzzy(w, loose)}
		if last && len(w) >= 2 {
			s.cands = append(s.cands, ix.prefix(w)...)
		}
		out = append(out, s)
	}
	return out
}

// unkey strips the tone and vowel keys of Telex ("ddawngs" → "dang") or
// VNI ("d9a8ng1" → "dang") left in a word, if that gives a word of the index.
func (ix *Index) unkey(w string) string {
	try := func(s string) string {
		if _, ok := ix.post[s]; ok && s != w {
			return s
		}
		return ""
	}
	if strings.ContainsAny(w, "0123456789") {
		var b strings.Builder
		for _, r := range w {
			if r < '0' || r > '9' {
				b.WriteRune(r)
			}
		}
		if s := try(norm(b.String())); s != "" {
			return s
		}
	}
	r := strings.NewReplacer("dd", "d", "aa", "a", "aw", "a", "ee", "e", "oo", "o", "ow", "o", "uw", "u", "w", "u")
	base := r.Replace(w)
	if s := try(base); s != "" {
		return s
	}
	for i := range len(w) {
		if strings.IndexByte("sfrxj", w[i]) < 0 {
			continue
		}
		s := r.Replace(w[:i] + w[i+1:])
		if s := try(s); s != "" {
			return s
		}
	}
	return ""
}

// split splits a word into two of the index ("dangky" → "dang", "ki").
func (ix *Index) split(w string) (string, string) {
	if len(w) < 4 {
		return "", ""
	}
	for i := 2; i <= len(w)-1; i++ {
		a, b := w[:i], w[i:]
		if stop[a] || stop[b] {
			continue
		}
		if _, ok := ix.post[a]; !ok {
			continue
		}
		if _, ok := ix.post[b]; ok {
			if _, ok := ix.post[a+" "+b]; ok {
				return a, b
			}
		}
	}
	return "", ""
}

// fuzzy returns the words of the index nearest to w: one edit away for a
// word of 4 letters or more, two for 7 or more (loose: one more each, and
// one for 3 letters).
func (ix *Index) fuzzy(w string, loose bool) []cand {
	maxd := 0
	switch n := len(w); {
	case n >= 7:
		maxd = 2
	case n >= 4:
		maxd = 1
	}
	if loose {
		if len(w) >= 3 {
			maxd++
		}
	}
	if maxd == 0 {
		return nil
	}
	best := maxd + 1
	var out []string
	for n := len(w) - maxd; n <= len(w)+maxd; n++ {
		for _, v := range ix.byLength[n] {
			d := distance(w, v, maxd+1)
			if d > maxd {
				continue
			}
			if d < best {
				best, out = d, out[:0]
			}
			if d == best {
				out = append(out, v)
			}
		}
	}
	if best > maxd {
		return nil
	}
	c := make([]cand, len(out))
	for i, v := range out {
		c[i] = cand{v, 1 - 0.2*float64(best)}
	}
	return c
}

// prefix returns the words that start with w (a last word still being
// typed), at most eight.
func (ix *Index) prefix(w string) []cand {
	i := sort.SearchStrings(ix.words, w)
	var out []cand
	for ; i < len(ix.words) && strings.HasPrefix(ix.words[i], w) && len(out) < 8; i++ {
		out = append(out, cand{ix.words[i], 0.7})
	}
	return out
}

// distance is the optimal-string-alignment distance of a and b (an
// adjacent transposition counts one), or limit when it is limit or more.
func distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) >= limit {
		return limit
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// score ranks the documents for the slots.
func (ix *Index) score(slots []slot, filter func(catalog.Summary) bool) []Hit {
	scores := make([]float64, len(ix.docs))
	var touched []int32 // the documents with a score, once each
	addTerm := func(t string, w float64) {
		ps := ix.post[t]
		if len(ps) == 0 {
			return
		}
		idf := ix.idf(t)
		for _, p := range ps {
			d := &ix.docs[p.doc]
			var tfw float64
			for f := range nFields {
				if p.tf[f] == 0 {
					continue
				}
				norm := 1 - fieldB[f] + fieldB[f]*float64(d.length[f])/ix.avg[f]
				tfw += fieldWeight[f] * float64(p.tf[f]) / norm
			}
			if scores[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			scores[p.doc] += w * idf * tfw * (k1 + 1) / (k1 + tfw)
		}
	}
	// Unigrams: the best reading of each word counts; a word typed twice
	// counts once.
	seen := map[string]bool{}
	for _, s := range slots {
		for _, c := range s.cands {
			if stop[c.tok] || seen[c.tok] {
				continue
			}
			seen[c.tok] = true
			addTerm(c.tok, c.w)
		}
	}
	// Bigrams of adjacent words, each pair of readings.
	for i := 1; i < len(slots); i++ {
		for _, a := range slots[i-1].cands {
			for _, b := range slots[i].cands {
				if stop[a.tok] && stop[b.tok] {
					continue
				}
				t := a.tok + " " + b.tok
				if seen[t] {
					continue
				}
				seen[t] = true
				addTerm(t, a.w*b.w)
			}
		}
	}
	// A term or a whole name found in the query: the citizen said exactly
	// that.
	seq := ix.sequences(slots)
	for _, ph := range ix.phrases {
		if contains(seq, ph.toks) {
			bonus := 0.0
			for _, t := range ph.toks {
				bonus += ix.idf(t)
			}
			for _, d := range ph.docs {
				if scores[d] == 0 {
					touched = append(touched, d)
				}
				scores[d] += bonus
			}
		}
	}
	for _, d := range touched {
		if name := ix.docs[d].name; len(name) > 1 && contains(seq, name) {
			scores[d] *= 1.5
		}
	}
	hits := make([]Hit, 0, len(touched))
	top := 0.0
	for _, d := range touched {
		sc := scores[d]
		if sc <= 0 {
			continue
		}
		if filter != nil && !filter(ix.docs[d].sum) {
			continue
		}
		hits = append(hits, Hit{Summary: ix.docs[d].sum, Score: sc})
		top = max(top, sc)
	}
	hits = slices.DeleteFunc(hits, func(h Hit) bool { return h.Score < minShare*top })
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		case len(a.Summary.Name) != len(b.Summary.Name):
			return len(a.Summary.Name) - len(b.Summary.Name)
		}
		return strings.Compare(a.Summary.Code, b.Summary.Code)
	})
	return hits
}

// sequences is the query's best reading, word by word.
func (ix *Index) sequences(slots []slot) []string {
	out := make([]string, 0, len(slots))
	for _, s := range slots {
		if len(s.cands) == 0 {
			out = append(out, s.typed)
			continue
		}
		out = append(out, ix.best(s.cands).tok)
	}
	return out
}

// contains reports whether seq holds part as a contiguous run.
func contains(seq, part []string) bool {
	if len(part) == 0 || len(part) > len(seq) {
		return false
	}
outer:
	for i := 0; i+len(part) <= len(seq); i++ {
		for j, t := range part {
			if seq[i+j] != t {
				continue outer
			}
		}
		return true
	}
	return false
}
