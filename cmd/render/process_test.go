package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the render binary the subprocess tests run, built once into
// binDir (made and removed by TestMain) by the first test that needs it.
var (
	binDir    string
	buildOnce sync.Once
	built     string
	buildErr  error
)

// renderBinary builds the render binary once and returns its path.
func renderBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir == "" {
			buildErr = errors.New("binDir is unset: TestMain makes it")
			return
		}
		path := filepath.Join(binDir, "render")
		out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
		built = path
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return built
}

// process is a render binary running as a subprocess.
type process struct {
	cmd         *exec.Cmd
	out, errOut bytes.Buffer
	done        chan struct{}
	start, end  time.Time
}

// startRender starts the render binary with args in dir; it is killed, if
// still running, when t ends.
func startRender(t *testing.T, dir string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(renderBinary(t), args...), done: make(chan struct{})}
	p.cmd.Dir, p.cmd.Stdout, p.cmd.Stderr = dir, &p.out, &p.errOut
	p.cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(dir, "no-kubeconfig"))
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.start = time.Now()
	go func() {
		_ = p.cmd.Wait()
		p.end = time.Now()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// signal sends sig and returns when it was sent.
func (p *process) signal(t *testing.T, sig syscall.Signal) time.Time {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("send %s: %v", sig, err)
	}
	return time.Now()
}

// wait waits up to within for the process to exit and returns its exit
// code (-1 if a signal ended it) and when it ended; past within it kills
// it and fails t.
func (p *process) wait(t *testing.T, within time.Duration) (int, time.Time) {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode(), p.end
	case <-time.After(within):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("render did not exit within %s; stderr:\n%s", within, p.errOut.String())
		return 0, time.Time{}
	}
}
