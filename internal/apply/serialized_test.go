package apply

import (
	"bytes"
	"fmt"
	"testing"
)

// TestSerializedClearsAnOpenLiveLine: a line written while another
// Manager's live summary is on screen starts on a cleared line; nothing
// changes without a live line.
func TestSerializedClearsAnOpenLiveLine(t *testing.T) {
	var buf bytes.Buffer
	w := Serialized(&buf)
	if Serialized(w) != w {
		t.Error("Serialized wrapped a serialized writer again")
	}
	fmt.Fprint(w, "a created\n")
	fmt.Fprint(w, "\r\033[K3/9 ready")
	fmt.Fprint(w, "b created\n")
	fmt.Fprint(w, "\r\033[K4/9 ready")
	fmt.Fprint(w, "\r\033[K")
	fmt.Fprint(w, "c created\n")
	want := "a created\n\r\033[K3/9 ready\r\033[Kb created\n\r\033[K4/9 ready\r\033[Kc created\n"
	if got := buf.String(); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}
