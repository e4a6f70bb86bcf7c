package receiver

import (
	"io"
	"log"
)

// quietLog drops net/http's per-connection error lines (TLS probes, resets): a receiver on a
// tunnel sees many and they say nothing useful.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
