package tfstate

import (
	"errors"
	"strings"
	"testing"
)

// FuzzRead: any input is a state or an error that wraps ErrFormat and
// names the file; a state that reads is matched without a panic.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"dev.tfstate", "dev-show.json", "v3.tfstate"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"version": 4, "resources": [{"mode": "managed", "type": "aws_subnet", "name": "x", "instances": [{"index_key": "a", "attributes": {"cidr_block": 7, "tags": []}}]}]}`))
	f.Add([]byte(`{"format_version": "1.0", "values": {"root_module": {"child_modules": [{"resources": [{"mode": "managed", "type": "aws_route_table", "values": {"route": [1, {"cidr_block": "0.0.0.0/0"}]}}]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := Read("tf.json", data)
		if err != nil {
			if !errors.Is(err, ErrFormat) || !strings.HasPrefix(err.Error(), "tf.json: ") {
				t.Fatalf("error does not wrap ErrFormat or name the file: %v", err)
			}
			return
		}
		importWith(t, "dev", st)
	})
}
