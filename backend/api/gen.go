package api

// The frontend's API types are generated from the exported types of this package (and the
// backend types they carry): typegen writes their JSON Schema, json-schema-to-typescript (a
// devDependency of the frontend) turns it into TypeScript. scripts/test.sh fails when the
// generated files differ from what these write.
//go:generate go run ./internal/typegen -o ../../docs/api.schema.json -root ../..
//go:generate node ../../frontend/scripts/api-types.mjs ../../docs/api.schema.json ../../frontend/src/lib/types/api.gen.ts
