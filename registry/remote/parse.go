package remote

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/registry"
)

// maxBody bounds the response body read from a remote: a record is a few
// kilobytes, anything larger than 1 MiB is refused.
const maxBody = 1 << 20

// target is what the parser needs to know of the dataset.
type target struct {
	code, name   string
	keyField     string
	subjectField string
}

// parse turns a remote's 200 body into the record with key. It accepts:
//
//   - the shape of registry.Record, served by a motcua instance: an object
//     with a "data" object and a "key" string;
//   - a flat object, the record's fields;
//   - an array holding exactly one object, or an object whose single field
//     is such an array (e.g. {"items": [...]}); an empty array is not found.
//
// Values are flattened to strings (numbers as written, booleans as
// "true"/"false", nested objects and arrays as compact JSON); nulls are
// omitted. The record's key must equal key: a remote answering for another
// person is not trusted. Errors are registry.NotFound or an Unavailable
// *errs.Error; parse never panics.
func (t *target) parse(body []byte, key string, now time.Time) (registry.Record, error) {
	body = bytes.TrimSpace(body)
	if len(body) > maxBody {
		return registry.Record{}, t.bad("body larger than 1 MiB")
	}
	if !json.Valid(body) {
		return registry.Record{}, t.bad("body is not JSON")
	}
	var (
		obj      map[string]json.RawMessage
		isRecord bool // the motcua registry.Record shape
	)
	switch body[0] {
	case '[':
		o, found, err := t.one(body)
		if err != nil {
			return registry.Record{}, err
		}
		if !found {
			return registry.Record{}, registry.NotFound(t.code, key)
		}
		obj = o
	case '{':
		if err := json.Unmarshal(body, &obj); err != nil {
			return registry.Record{}, t.bad("body is not a JSON object")
		}
		if kind(obj["data"]) == '{' && kind(obj["key"]) == '"' {
			isRecord = true
			break
		}
		if len(obj) == 1 {
			for _, v := range obj {
				if kind(v) == '[' && allObjects(v) {
					o, found, err := t.one(v)
					if err != nil {
						return registry.Record{}, err
					}
					if !found {
						return registry.Record{}, registry.NotFound(t.code, key)
					}
					obj = o
				}
			}
		}
	default:
		return registry.Record{}, t.bad("body is neither a JSON object nor an array")
	}

	rec := registry.Record{Dataset: t.code}
	var top map[string]string // the motcua record's top-level strings
	if isRecord {
		var data map[string]json.RawMessage
		if err := json.Unmarshal(obj["data"], &data); err != nil {
			return registry.Record{}, t.bad("data is not a JSON object")
		}
		rec.Data = flatten(data)
		top = flatten(map[string]json.RawMessage{"key": obj["key"], "subject": obj["subject"], "updated_at": obj["updated_at"]})
	} else {
		rec.Data = flatten(obj)
		if len(rec.Data) == 0 {
			// {} or an object of nulls: nothing is known of the key.
			return registry.Record{}, registry.NotFound(t.code, key)
		}
	}

	got, ok := rec.Data[t.keyField]
	switch {
	case isRecord && ok && got != top["key"]:
		return registry.Record{}, t.mismatch()
	case isRecord:
		got = top["key"]
	case !ok:
		got = key
	}
	if got != key {
		return registry.Record{}, t.mismatch()
	}
	rec.Key = key

	if t.subjectField != "" {
		rec.Subject = rec.Data[t.subjectField]
	}
	if rec.Subject == "" && isRecord {
		rec.Subject = top["subject"]
	}

	rec.UpdatedAt = now
	for _, s := range []string{top["updated_at"], rec.Data["updated_at"]} {
		if at, err := time.Parse(time.RFC3339, s); err == nil {
			rec.UpdatedAt = at
			break
		}
	}
	return rec, nil
}

// one returns the single object of a JSON array, found = false when the
// array is empty.
func (t *target) one(raw json.RawMessage) (map[string]json.RawMessage, bool, error) {
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, false, t.bad("body is not a JSON array")
	}
	switch len(arr) {
	case 0:
		return nil, false, nil
	case 1:
	default:
		// A remote that ignores the key and lists its table is not
		// trusted to pick from.
		return nil, false, t.bad("array of several records")
	}
	if kind(arr[0]) != '{' {
		return nil, false, t.bad("array element is not an object")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(arr[0], &obj); err != nil {
		return nil, false, t.bad("array element is not an object")
	}
	return obj, true, nil
}

// kind returns the first byte of a JSON value: '{', '[', '"', 't', 'f',
// 'n', a digit or '-'; 0 when absent.
func kind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// allObjects reports whether raw is an array of objects only (or empty).
func allObjects(raw json.RawMessage) bool {
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil {
		return false
	}
	for _, v := range arr {
		if kind(v) != '{' {
			return false
		}
	}
	return true
}

// flatten turns JSON values into the strings of a record. Names that are
// empty and values that are null are left out.
func flatten(obj map[string]json.RawMessage) map[string]string {
	out := make(map[string]string, len(obj))
	for name, raw := range obj {
		if name == "" {
			continue
		}
		raw = bytes.TrimSpace(raw)
		switch kind(raw) {
		case 0, 'n':
			// absent or null
		case '"':
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out[name] = s
			}
		case 't':
			out[name] = "true"
		case 'f':
			out[name] = "false"
		case '{', '[':
			var b bytes.Buffer
			if json.Compact(&b, raw) == nil {
				s := b.String()
				if !utf8.ValidString(s) {
					s = strings.ToValidUTF8(s, "\uFFFD")
				}
				out[name] = s
			}
		default: // a number, in its JSON text (json.Number)
			out[name] = string(raw)
		}
	}
	return out
}

func (t *target) bad(why string) error {
	return errs.New(errs.Unavailable, "registry.remote_bad_response",
		"Hệ thống dữ liệu "+t.name+" trả về dữ liệu không đúng định dạng.",
		"Dataset "+t.code+": bad response from the remote: "+why+".")
}

func (t *target) mismatch() error {
	// The key answered is another person's: it is not put in the message.
	return errs.New(errs.Unavailable, "registry.remote_key_mismatch",
		"Hệ thống dữ liệu "+t.name+" trả về bản ghi không khớp với khóa tra cứu; dữ liệu không được sử dụng.",
		"Dataset "+t.code+": the remote answered with a record of another key; refused.")
}
