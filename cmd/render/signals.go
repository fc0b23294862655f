package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/eks-render/render/internal/apply"
)

// stopGrace is how long a run has, after the first SIGINT or SIGTERM, to
// end its requests, release its lock and report; then it exits anyway.
const stopGrace = 5 * time.Second

// signalError is the cause of a context a signal ended: its exit code is
// the shell's for the signal, 128+n (130 for SIGINT, 143 for SIGTERM).
type signalError struct{ sig syscall.Signal }

func (e *signalError) Error() string { return "interrupted by " + signalName(e.sig) }
func (e *signalError) ExitCode() int { return 128 + int(e.sig) }
func (e *signalError) Unwrap() error { return apply.ErrInterrupted }

func signalName(sig syscall.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// withSignals returns a context the first SIGINT or SIGTERM cancels, with
// a *signalError as its cause: the run stops starting work, its requests
// end, it releases its lock and reports. A second signal, or a run still
// going stopGrace later, ends the process at once through exit. stop
// stops listening.
//
// signal.NotifyContext would do the first part only: once it has seen a
// signal nothing is left to end a run that does not watch its context.
func withSignals(parent context.Context, errOut io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var first *signalError
		var grace <-chan time.Time
		for {
			select {
			case <-done:
				return
			case s := <-ch:
				sig, _ := s.(syscall.Signal)
				if first != nil {
					fmt.Fprintf(errOut, "error: %s again: exiting at once (a lock still held expires unrenewed)\n", signalName(sig))
					exit((&signalError{sig}).ExitCode())
					return
				}
				first = &signalError{sig}
				fmt.Fprintf(errOut, "%s: stopping (%s at most; %s again exits at once)\n", first, stopGrace, signalName(sig))
				cancel(first)
				grace = time.After(stopGrace)
			case <-grace:
				fmt.Fprintf(errOut, "error: %s: still not stopped after %s; exiting\n", first, stopGrace)
				exit(first.ExitCode())
				return
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}
