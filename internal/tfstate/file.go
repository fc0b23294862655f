package tfstate

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadFile reads the state at path: at most MaxSize bytes, since states
// are larger than configuration files but a device or a runaway file must
// still end in an error, not in a process out of memory.
func ReadFile(path string) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read Terraform state: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read Terraform state: %w", err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("read Terraform state: %s is larger than %d bytes; is it a Terraform state?", path, MaxSize)
	}
	return Read(path, data)
}

// ErrConflicts is wrapped by Refuse's errors: the state has conflicts
// render import may not adopt, so nothing is written.
var ErrConflicts = errors.New("conflicts: nothing written")

// Refuse returns an error wrapping ErrConflicts when the report has
// conflicts and allowConflicts is false, or conflicts that allowConflicts
// cannot take because nothing is left to adopt (an overlapping subnet, an
// ambiguous match).
func (r *Report) Refuse(allowConflicts bool) error {
	blocking := 0
	for _, c := range r.Conflicts {
		if !c.Adoptable {
			blocking++
		}
	}
	if len(r.Twins) > 0 {
		return fmt.Errorf("%d objects (listed above) would be created under the AWS name of a Terraform resource nothing adopts: %w; "+
			"adopt it (it must match the object) or remove it from Terraform first", len(r.Twins), ErrConflicts)
	}
	switch {
	case len(r.Conflicts) == 0:
		return nil
	case !allowConflicts:
		return fmt.Errorf("%d conflicts (listed above): %w; change platform.yaml to match what exists, or rerun with --allow-conflicts to adopt those resources as they are", len(r.Conflicts), ErrConflicts)
	case blocking > 0:
		return fmt.Errorf("%d conflicts (listed above) leave nothing to adopt, even with --allow-conflicts: %w; change platform.yaml", blocking, ErrConflicts)
	}
	return nil
}
