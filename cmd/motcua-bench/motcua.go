package main

import (
	"context"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
)

// motcuaFlag registers --motcua, the production binary that a benchmark
// starts as a separate process.
func motcuaFlag(fs *flag.FlagSet) *string {
	return fs.String("motcua", "", "the motcua binary to start (default: built from this module's ./cmd/motcua into a temporary directory)")
}

// motcuaBinary returns path, else builds the production binary into dir
// with the go command (the benchmark runs from the module's source, with
// go run) and returns its path.
func motcuaBinary(ctx context.Context, path, dir string) (string, error) {
	if path != "" {
		return path, nil
	}
	out := filepath.Join(dir, "motcua")
	if b, err := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/motcua/motcua/cmd/motcua").CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the motcua binary (or give one with --motcua): %w\n%s", err, b)
	}
	return out, nil
}
