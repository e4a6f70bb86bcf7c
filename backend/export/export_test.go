package export

// Internals the external tests reach.
var (
	DecodeRecord = decodeRecord
	AppendRecord = appendRecord
	FastRecord   = fastRecord
)
