// Package all registers every vendor decoder in one place.
package all

import (
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
)

// Registry returns a registry of all vendors, in detection order: LiveChat, iAdvize, Closer.
func Registry() *decode.Registry {
	return decode.New(livechat.New(), iadvize.New(), closer.New())
}
