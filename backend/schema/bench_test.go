package schema_test

import (
	"testing"

	"hooklens/backend/decode/all"
	"hooklens/backend/schema"
)

// BenchmarkRender builds the first vendor's set (the biggest catalog) and renders each format:
// what one GET /api/v1/schema/{vendor}?format=… costs without observed captures.
func BenchmarkRender(b *testing.B) {
	v := all.Registry().Vendors()[0]
	for _, format := range []string{schema.FormatJSONSchema, schema.FormatOpenAPI, schema.FormatTypeScript, schema.FormatGo} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				s, err := schema.Build(v, schema.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := schema.Render(s, format, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMerge merges captured bodies (every golden sample of the vendor, over and over) into
// a set: the per-delivery cost of observed=true and --data.
func BenchmarkMerge(b *testing.B) {
	v := all.Registry().Vendors()[0]
	var caps []schema.Capture
	for _, sm := range goldenSamples(b) {
		if sm.vendor == v.Name() {
			caps = append(caps, schema.Capture{Event: sm.event, Doc: sm.doc})
		}
	}
	s, err := schema.Build(v, schema.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for b.Loop() {
		s.Add(caps[n%len(caps)], false)
		n++
	}
	b.StopTimer()
	s.Finish()
}
