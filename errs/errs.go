// Package errs defines the typed errors that callers must tell apart.
//
// Every domain package returns *Error (possibly wrapped) for failures a user
// or a caller can act on; adapters (HTTP, CLI) map the Kind to a status code
// in one place. Messages are in Vietnamese first, the language of the users,
// with a stable translation key and an English fallback.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is the class of an error.
type Kind int

// The kinds a caller must tell apart.
const (
	Internal     Kind = iota // a bug or an outage: not the caller's fault
	Invalid                  // the input is not acceptable
	NotFound                 // the thing asked for does not exist
	Conflict                 // the request conflicts with the current state
	Unauthorized             // no or bad credentials
	Forbidden                // authenticated but not allowed
	RateLimited              // too many attempts
	Unavailable              // a dependency is down
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "unauthorized", "forbidden", "rate_limited", "unavailable"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string `json:"field"`   // JSON pointer-like path, e.g. "components[0].code"
	Key     string `json:"key"`     // stable translation key, e.g. "required"
	Message string `json:"message"` // Vietnamese message
}

// Error is a typed, user-presentable error.
type Error struct {
	Kind    Kind
	Key     string       // stable translation key, e.g. "procedure.not_found"
	Message string       // Vietnamese message for the user
	English string       // English message (optional)
	Fields  []FieldError // per-field problems for Invalid
	Err     error        // the underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	if e.English != "" {
		b.WriteString(": ")
		b.WriteString(e.English)
	} else if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same kind and key (an empty
// key in target matches any key of that kind).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && (t.Key == "" || t.Key == e.Key)
}

// New returns an error of kind k with a translation key and Vietnamese and
// English messages.
func New(k Kind, key, vi, en string) *Error {
	return &Error{Kind: k, Key: key, Message: vi, English: en}
}

// Wrap is New with a cause.
func Wrap(k Kind, key, vi, en string, cause error) *Error {
	return &Error{Kind: k, Key: key, Message: vi, English: en, Err: cause}
}

// InvalidFields returns an Invalid error listing field problems.
func InvalidFields(key, vi, en string, fields []FieldError) *Error {
	return &Error{Kind: Invalid, Key: key, Message: vi, English: en, Fields: fields}
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Sentinels for errors.Is checks of a kind regardless of key.
var (
	ErrNotFound     = &Error{Kind: NotFound}
	ErrConflict     = &Error{Kind: Conflict}
	ErrInvalid      = &Error{Kind: Invalid}
	ErrForbidden    = &Error{Kind: Forbidden}
	ErrUnauthorized = &Error{Kind: Unauthorized}
)

// Message is the Vietnamese message of err for a user: a typed error's
// message, or a generic one for anything else.
func Message(err error) string {
	if e, ok := As(err); ok && e.Message != "" {
		return e.Message
	}
	return "Lỗi hệ thống, xin thử lại sau."
}
