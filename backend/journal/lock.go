package journal

import "errors"

// ErrLocked is returned by Lock when another process holds the lock: another Hooklens is
// running on the same store and owns its capture journal.
var ErrLocked = errors.New("locked by another process")

// LockFile takes an exclusive lock on the file at path (created if missing) without waiting,
// for as long as this process runs or until release is called. The system drops the lock when
// the process ends, however it ends, so a crash never leaves a stale lock behind. It returns
// ErrLocked when another process (or another open of the file in this one) holds it.
func LockFile(path string) (release func() error, err error) { return lockFile(path) }
