// Package cli is what the module's commands share: the errors a command
// returns to choose its exit status, how an error is shown to a person,
// and a CPU profile of a measured run.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/motcua/motcua/errs"
)

// UsageError is a command line that does not make sense (exit status 2).
type UsageError string

func (e UsageError) Error() string { return string(e) }

// IsUsage reports whether err is, or wraps, a UsageError.
func IsUsage(err error) bool {
	var u UsageError
	return errors.As(err, &u)
}

// ExitError ends a command with a status after it printed its own message.
type ExitError int

func (e ExitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// Status is the exit status of a command that returned err, after printing
// err (prefixed with prog) to stderr: 0 without error or for -h, the
// status of an ExitError, 2 for a usage error or invalid input, else 1.
func Status(prog string, err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ex ExitError
	if errors.As(err, &ex) {
		return int(ex)
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, prog+":", Describe(err))
	if errs.KindOf(err) == errs.Invalid || IsUsage(err) {
		return 2
	}
	return 1
}

// Describe prints an error for a person: the Vietnamese message of a typed
// error with its field problems, the plain error otherwise.
func Describe(err error) string {
	e, ok := errs.As(err)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	if e.English != "" {
		fmt.Fprintf(&b, "\n(%s)", e.English)
	}
	return b.String()
}
