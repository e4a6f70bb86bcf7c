package export

import (
	"context"

	"hooklens/backend"
)

// memory is an import Store that keeps the deliveries read in memory, in file order: the
// parsers of ImportPath feed it, so `hooklens test` reads exports with the very code that
// imports them, without a store.
type memory struct{ items []backend.Import }

func (m *memory) ImportDeliveries(_ context.Context, items []backend.Import) ([]error, error) {
	m.items = append(m.items, items...)
	return make([]error, len(items)), nil
}

// ReadPath reads the file or folder at path (in format; "" detects it) into memory, with what
// the file says of itself (secrets, fixture secret, warnings). Nothing is stored. Errors are
// those of ImportPath: EINVALID names the file and, where the parser knows it, the line.
func ReadPath(ctx context.Context, path, format string) ([]backend.Import, backend.ImportResult, error) {
	var m memory
	res, err := ImportPath(ctx, &m, path, format)
	return m.items, res, err
}
