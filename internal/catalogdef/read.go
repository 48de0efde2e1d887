package catalogdef

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// readBounded reads a file of any kind through a limit: at most limit bytes, within wait. Its
// size is never trusted beforehand — a FIFO or a device (/dev/zero) has none — so it is read
// and cut off. It is opened without blocking, so that a FIFO nobody writes to reads as empty
// instead of holding the command, and the wait bounds a writer that never ends.
func readBounded(path string, limit int64, wait time.Duration) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_ = f.SetReadDeadline(time.Now().Add(wait)) // pipes and FIFOs; a regular file reads at once
	raw, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("%s did not end within %s (a pipe nobody closes?)", path, wait)
	case err != nil:
		return nil, err
	case int64(len(raw)) > limit:
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	case len(raw) == 0:
		return nil, fmt.Errorf("%s is empty: give what differs from the default definition, or leave --definition out", path)
	}
	return raw, nil
}
