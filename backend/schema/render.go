package schema

import (
	"fmt"
	"strings"
	"unicode"
)

// Formats of Render.
const (
	FormatJSONSchema = "jsonschema"
	FormatOpenAPI    = "openapi"
	FormatTypeScript = "typescript"
	FormatGo         = "go"
)

// File is one rendered file: its name (slash-separated, relative) and content.
type File struct {
	Name string
	Data []byte
}

// Render renders the set in format. With folder false it returns one file (the bundle, the
// document, the module or the package source); with folder true JSON Schema also gives one
// file per event type, and Go a package folder.
func Render(s *Set, format string, folder bool) ([]File, error) {
	base := s.Vendor
	if s.Version != "" {
		base += "-" + s.Version
	}
	switch format {
	case FormatJSONSchema:
		b, err := s.Bundle()
		if err != nil {
			return nil, err
		}
		files := []File{{base + ".schema.json", b}}
		if folder {
			for _, e := range s.Events {
				one, err := s.EventSchema(e.Name)
				if err != nil {
					return nil, err
				}
				files = append(files, File{fileName(e.Name) + ".schema.json", one})
			}
		}
		return files, nil
	case FormatOpenAPI:
		b, err := s.OpenAPI()
		return []File{{base + ".openapi.json", b}}, err
	case FormatTypeScript:
		return []File{{base + ".ts", s.TypeScript()}}, nil
	case FormatGo:
		pkg := PackageName(s.Vendor)
		b, err := s.Go(pkg)
		return []File{{pkg + "/" + pkg + ".go", b}}, err
	}
	return nil, fmt.Errorf("unknown format %q (want %s, %s, %s or %s)", format, FormatJSONSchema, FormatOpenAPI, FormatTypeScript, FormatGo)
}

// PackageName makes a Go package name of a vendor id: lower-case letters and digits.
func PackageName(vendor string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(vendor) {
		if unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "webhooks"
	}
	return b.String()
}

// fileName keeps an event type name usable as a file name.
func fileName(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, name)
}
