package backend

import "context"

type backgroundKey struct{}

// Background returns ctx marked so that writes made with it yield to captures: the store
// commits every waiting capture first, and gives a background write its own transaction.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

// IsBackground reports whether ctx was marked by Background.
func IsBackground(ctx context.Context) bool { return ctx.Value(backgroundKey{}) != nil }
