// Package all registers every vendor decoder in one place.
package all

import (
	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
)

// Registry returns a registry of all vendors, in detection order.
func Registry() *decode.Registry {
	return decode.New(iadvize.New())
}
