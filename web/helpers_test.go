package web

import "github.com/danielgtaylor/huma/v2"

func opOf(v any) *huma.Operation {
	op, _ := v.(*huma.Operation)
	return op
}
