package backend

// SyncPolicy says when the receiver acknowledges a capture.
type SyncPolicy string

// Sync policies.
const (
	// SyncAlways acknowledges a capture once its journal record is on stable storage
	// (fdatasync, F_FULLFSYNC on macOS): it survives a power cut. The default.
	SyncAlways SyncPolicy = "always"
	// SyncOS acknowledges a capture once the operating system has its journal record
	// (write(2)): it survives a crash of Hooklens, not of the machine.
	SyncOS SyncPolicy = "os"
)

// ParseSyncPolicy returns the policy named s ("always" or "os"), or an EINVALID error.
func ParseSyncPolicy(s string) (SyncPolicy, error) {
	switch p := SyncPolicy(s); p {
	case SyncAlways, SyncOS:
		return p, nil
	}
	return "", Errorf(EINVALID, "sync policy %q is not known: use always or os", s)
}

// SyncStats say how captures are made durable since the store opened.
type SyncStats struct {
	Policy SyncPolicy
	// Syncs is how many journal syncs succeeded; Captures how many captures were journaled.
	// Captures/Syncs is how many deliveries one sync covered on average.
	Syncs    uint64
	Captures uint64
	// Error says why the journal cannot be synced now ("" when it can).
	Error string
}

// SyncReporter is a store that tells how it makes captures durable.
type SyncReporter interface {
	SyncStats() SyncStats
}
