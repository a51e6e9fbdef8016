package api

import (
	"encoding/json"
	"io"
	"reflect"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/calendar"
)

// The API sends every time in Vietnam's time, with its explicit offset
// (2026-11-24T09:00:00+07:00): the people and the systems reading it are
// in Vietnam, and a time read from the store comes back in UTC (…Z) beside
// one made in Vietnam's time, which read as two clocks. Rather than
// converting field by field in each output (and forgetting the steps, the
// history, the payment nested in a dossier), the JSON format converts the
// whole answer on its way out: vnJSON below.

// vnJSON is huma's JSON format with every time.Time of the answer in
// Vietnam's time.
var vnJSON = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(inVietnam(v))
	},
	Unmarshal: json.Unmarshal,
}

var timeType = reflect.TypeFor[time.Time]()

// inVietnam is a copy of v with every time.Time reachable through its
// exported fields, pointers, slices, arrays, maps and interfaces in
// Vietnam's time; v itself is not changed (it may be shared: a cached
// catalogue). Parts that hold no time are shared, not copied.
func inVietnam(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if !mayHoldTime(rv.Type()) {
		return v
	}
	return vnCopy(rv).Interface()
}

func vnCopy(v reflect.Value) reflect.Value {
	t := v.Type()
	if t == timeType {
		tm := v.Interface().(time.Time)
		if tm.IsZero() {
			return v
		}
		return reflect.ValueOf(tm.In(calendar.VN))
	}
	if !mayHoldTime(t) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(vnCopy(v.Elem()))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(vnCopy(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHoldTime(f.Type) {
				out.Field(i).Set(vnCopy(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(vnCopy(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(vnCopy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), vnCopy(it.Value()))
		}
		return out
	}
	return v
}

// holdsTime caches mayHoldTime by type.
var holdsTime sync.Map // reflect.Type → bool

// mayHoldTime reports whether a value of type t may hold a time.Time in
// what encoding/json writes of it: an interface always may.
func mayHoldTime(t reflect.Type) bool {
	if b, ok := holdsTime.Load(t); ok {
		return b.(bool)
	}
	b := holds(t, map[reflect.Type]bool{})
	holdsTime.Store(t, b)
	return b
}

// holds is mayHoldTime for t, the types being looked at in visiting (a
// recursive type holds a time only through its other fields).
func holds(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if visiting[t] {
		return false
	}
	visiting[t] = true
	defer delete(visiting, t)
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holds(t.Elem(), visiting)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && holds(f.Type, visiting) {
				return true
			}
		}
	}
	return false
}
