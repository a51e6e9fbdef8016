package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a motcua process started by a benchmark, as an operator would
// start it: its own process, its logs in a file.
type server struct {
	cmd   *exec.Cmd
	base  string // http://127.0.0.1:PORT
	pprof string // 127.0.0.1:PORT of Go's profiler, "" without one
	logs  string // path of the file with its stdout and stderr

	exited chan struct{} // closed once the process has exited
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startServer runs `exe serve --addr A --log-level warn args…` (with
// --pprof on another free port if withPprof), its output in logs, and
// waits until /healthz answers 200.
func startServer(ctx context.Context, exe string, args []string, withPprof bool, logs string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, logs: logs}
	all := append([]string{"serve", "--addr", addr, "--log-level", "warn"}, args...)
	if withPprof {
		if s.pprof, err = freeAddr(); err != nil {
			return nil, err
		}
		all = append(all, "--pprof", s.pprof)
	}
	out, err := os.Create(logs)
	if err != nil {
		return nil, err
	}
	defer out.Close() // the child has its own descriptor
	s.cmd = exec.CommandContext(ctx, exe, all...)
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.exited = make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	client := &http.Client{Timeout: 5 * time.Second}
	for start := time.Now(); time.Since(start) < 90*time.Second; {
		select {
		case <-s.exited:
			return nil, fmt.Errorf("motcua serve exited (%v): %s", s.cmd.ProcessState, s.tail())
		case <-ctx.Done():
			<-s.exited
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if res, err := client.Get(s.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	return nil, fmt.Errorf("motcua serve not ready after 90 s: %s", s.tail())
}

// stop asks the server to shut down (SIGTERM, as systemd would) and kills
// it if it has not exited within 20 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// userHZ is the unit of the CPU times in /proc/PID/stat (USER_HZ, 100 on
// every Linux architecture Go runs on).
const userHZ = 100

// cpuTime is the CPU time (user and system, all threads) the server has
// used so far, from /proc/PID/stat; an error where there is no /proc.
func (s *server) cpuTime() (time.Duration, error) {
	return procCPU(strconv.Itoa(s.cmd.Process.Pid))
}

// procCPU is the CPU time (user and system, all threads) process pid
// ("self" for this one) has used so far, from /proc/PID/stat.
func procCPU(pid string) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// pid (comm) state ppid … : comm may hold spaces, the fields after
	// its closing parenthesis are numbered from 3; utime is 14, stime 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * time.Second / userHZ, nil
}

// tail is the end of the server's log, for an error message.
func (s *server) tail() string {
	b, _ := os.ReadFile(s.logs)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// memory is the server's resident memory now (VmRSS) and at its peak so
// far (VmHWM), in bytes, from /proc/PID/status; an error where there is
// no /proc.
func (s *server) memory() (rss, hwm int64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.Lines(string(b)) {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc status %s: %w", name, err)
		}
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, errors.New("no VmRSS or VmHWM in /proc status")
	}
	return rss, hwm, nil
}
