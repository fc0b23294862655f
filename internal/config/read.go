package config

import (
	"fmt"
	"io"
	"os"
)

// ReadFile reads a configuration file for Parse. It reads at most
// MaxFileSize bytes and one more, so that a huge file, or a device or pipe
// that never ends, is an error that names the limit rather than a process
// that runs out of memory; that error wraps ErrInvalid like Parse's.
func ReadFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a configuration file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		size := fmt.Sprintf("more than %d bytes", MaxFileSize)
		if info.Mode().IsRegular() {
			size = fmt.Sprintf("%d bytes", info.Size())
		}
		return nil, Errors{tooLarge(name, size)}
	}
	return data, nil
}

// tooLarge is the error for a file over MaxFileSize; size says how large.
func tooLarge(file, size string) *FieldError {
	return &FieldError{File: file, Msg: fmt.Sprintf("file is %s; a configuration file may be at most %d bytes", size, MaxFileSize)}
}
