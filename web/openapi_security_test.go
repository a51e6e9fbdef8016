package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/motcua/motcua/web/api"
)

// TestEveryOperationDeclaresSecurity: the document says of every
// operation who may call it — the bearer token, or explicitly anyone
// ("security": []) — and says it as the access policy enforces it.
func TestEveryOperationDeclaresSecurity(t *testing.T) {
	s := New(newFixture(t).app, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	var doc struct {
		Paths map[string]map[string]struct {
			Security *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths {
		for method, op := range item {
			n++
			pi := s.API().OpenAPI().Paths[path]
			hop := map[string]*huma.Operation{"get": pi.Get, "post": pi.Post, "put": pi.Put, "delete": pi.Delete, "patch": pi.Patch}[method]
			if hop == nil {
				t.Fatalf("%s %s: not in the API", method, path)
			}
			acc, _ := hop.Metadata["access"].(api.Access)
			switch {
			case op.Security == nil:
				t.Errorf("%s %s declares no security", method, path)
			case acc.Public && len(*op.Security) != 0:
				t.Errorf("%s %s is public but declares %v", method, path, *op.Security)
			case !acc.Public && (len(*op.Security) != 1 || (*op.Security)[0]["bearer"] == nil):
				t.Errorf("%s %s needs a log-in but declares %v", method, path, *op.Security)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d operations in the document", n)
	}
}
